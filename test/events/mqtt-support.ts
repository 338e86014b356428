/**
 * The live Mosquitto broker of the MQTT tests (WEFT_TEST_MQTT_URL, default mqtt://127.0.0.1:1883).
 * Unreachable: the tests skip with a printed reason, unless WEFT_REQUIRE_MQTT=1, which makes it a
 * failure. Each test uses its own topic root and client id, and purges the broker session after.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { emptyLogBatch } from '../../src/events/log/batch.js';
import type { CollectedEvent, EventLog, LogBatch } from '../../src/events/types.js';

export const mqttUrl = process.env.WEFT_TEST_MQTT_URL || 'mqtt://127.0.0.1:1883';

async function probe(): Promise<string | undefined> {
  try {
    const client = await mqtt.connectAsync(mqttUrl, { connectTimeout: 3000, reconnectPeriod: 0 });
    await client.endAsync();
    return undefined;
  } catch (error) {
    return `the MQTT broker at ${mqttUrl} is not reachable (${(error as Error).message})`;
  }
}

const unreachable = await probe();
if (unreachable) {
  if (process.env.WEFT_REQUIRE_MQTT === '1') throw new Error(`WEFT_REQUIRE_MQTT=1 but ${unreachable}`);
  console.warn(`Skipping the MQTT cases: ${unreachable}`);
}

/** True when the live broker answers. */
export const mqttAvailable = unreachable === undefined;

/** A topic root and client id no other test uses. */
export function uniqueNames(): { root: string; clientId: string } {
  const id = randomBytes(4).toString('hex');
  return { root: `weft-test/${id}`, clientId: `weft-test-${id}` };
}

/** Ends the broker's persistent session of `clientId` (a clean connect drops it). */
export async function purgeSession(clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId, clean: true, reconnectPeriod: 0 });
  await client.endAsync();
}

/** Publishes messages at QoS 1 from a device-like client, waiting for each PUBACK. */
export async function publish(messages: Array<[topic: string, payload: string | Buffer]>): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0 });
  try {
    for (const [topic, payload] of messages) await client.publishAsync(topic, payload, { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

/** An in-memory EventLog; `failNext` makes the next appends throw, as a full disk would. */
export class MemoryLog implements EventLog {
  readonly events: CollectedEvent[] = [];
  appendCalls = 0;
  failNext = 0;

  async append(events: CollectedEvent[]): Promise<void> {
    this.appendCalls += 1;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('disk full (test)');
    }
    this.events.push(...events);
  }

  async read(): Promise<LogBatch> {
    return emptyLogBatch();
  }

  async stats() {
    return { pending: this.events.length };
  }

  async close(): Promise<void> {}

  /** Waits (bounded) until `count` events were appended; returns them. */
  async waitFor(count: number, boundMs = 15_000): Promise<CollectedEvent[]> {
    const giveUp = Date.now() + boundMs;
    while (this.events.length < count && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 20));
    return this.events;
  }
}
