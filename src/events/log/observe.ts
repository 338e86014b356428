/** An EventLog that tells a listener about every append once it is durable (HTTP and MQTT alike). */
import type { CollectedEvent, EventLog } from '../types.js';

/** Wraps `log`: `onDurable` runs after each successful append, with its events. */
export function observeAppends(log: EventLog, onDurable: (events: CollectedEvent[]) => void): EventLog {
  return new Proxy(log, {
    get(target, property, receiver) {
      if (property === 'append')
        return async (events: CollectedEvent[]) => {
          await target.append(events);
          onDurable(events);
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
