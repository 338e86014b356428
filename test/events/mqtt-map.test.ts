/** Mapping one MQTT message to a CollectedEvent (no broker): names, ids, times, payloads. */
import { describe, expect, it } from 'vitest';
import { mqttTopicSchema } from '../../src/config/schemas/mqtt.js';
import { mapMessage, type ReceivedMessage } from '../../src/events/mqtt/map-message.js';
import { plainFilter, topicMatches } from '../../src/events/mqtt/topic-match.js';

const receivedAt = new Date('2026-03-04T05:06:07.000Z');
const mapping = (fields: Record<string, unknown>) =>
  mqttTopicSchema.parse({ topic: 'meters/+/fault', ...fields });
const message = (payload: string | Buffer, topic = 'meters/m-17/fault', packetId = 7): ReceivedMessage => ({
  topic,
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
  packetId,
  receivedAt,
});

function eventOf(result: ReturnType<typeof mapMessage>) {
  if ('rejected' in result) throw new Error(`rejected: ${result.rejected}`);
  return result.event;
}

describe('mapMessage', () => {
  it('defaults: track named by the topic, device = topic, source mqtt, receive time', () => {
    const event = eventOf(mapMessage(mapping({}), message('{"code":"E4","volts":229.5}')));
    expect(event).toMatchObject({
      type: 'track',
      source: 'mqtt',
      event: 'meters/m-17/fault',
      anonymousId: 'device:meters/m-17/fault',
      properties: { code: 'E4', volts: 229.5 },
      context: { device: { id: 'meters/m-17/fault' }, mqtt: { topic: 'meters/m-17/fault' } },
      timestamp: '2026-03-04T05:06:07.000Z',
      receivedAt: '2026-03-04T05:06:07.000Z',
    });
    expect(event.userId).toBeUndefined();
  });

  it('takes the event name and device id from topic levels, and the time from the payload', () => {
    const event = eventOf(
      mapMessage(
        mapping({ event: 'topic:3', device_id: 'topic:2', timestamp: 'at', source: 'meters' }),
        message('{"at":"2026-03-04T05:00:00+01:00"}'),
      ),
    );
    expect(event).toMatchObject({
      event: 'fault',
      source: 'meters',
      anonymousId: 'device:m-17',
      context: { device: { id: 'm-17' } },
      timestamp: '2026-03-04T04:00:00.000Z',
      originalTimestamp: '2026-03-04T04:00:00.000Z',
    });
  });

  it('reads a nested payload field as the device id, as userId when asked, and epoch times', () => {
    const payload = '{"meta":{"serial":4711},"ts":1772600000}';
    const event = eventOf(
      mapMessage(
        mapping({ device_id: 'meta.serial', device_id_as: 'user_id', timestamp: 'ts' }),
        message(payload),
      ),
    );
    expect(event.userId).toBe('device:4711');
    expect(event.anonymousId).toBeUndefined();
    expect(event.timestamp).toBe('2026-03-04T04:53:20.000Z');
    const millis = eventOf(mapMessage(mapping({ timestamp: 'ts' }), message('{"ts":1772600000123}')));
    expect(millis.timestamp).toBe('2026-03-04T04:53:20.123Z');
  });

  it('keeps a non-JSON payload as its text, exactly as sent', () => {
    expect(eventOf(mapMessage(mapping({}), message('21.50'))).properties).toEqual({ payload: '21.50' });
    expect(eventOf(mapMessage(mapping({}), message('{not json'))).properties).toEqual({
      payload: '{not json',
    });
    expect(eventOf(mapMessage(mapping({}), message('[1,2]'))).properties).toEqual({ payload: '[1,2]' });
  });

  it('rejects, with the reason, binary payloads, a missing device id and a time that is not one', () => {
    expect(mapMessage(mapping({}), message(Buffer.from([0xff, 0xfe, 0x00])))).toEqual({
      rejected: 'the payload is not UTF-8 text (3 bytes of binary)',
    });
    expect(mapMessage(mapping({ device_id: 'serial' }), message('{"other":1}'))).toEqual({
      rejected: "no device id: payload field 'serial' is missing or empty",
    });
    expect(mapMessage(mapping({ timestamp: 'at' }), message('{"at":"yesterday"}'))).toEqual({
      rejected: "payload field 'at' is not a time (ISO 8601 or epoch)",
    });
  });

  it('gives a redelivery the same messageId and a new reading another', () => {
    const id = (m: ReceivedMessage, fields = {}) => eventOf(mapMessage(mapping(fields), m)).messageId;
    expect(id(message('{"v":1}', undefined, 7))).toBe(id(message('{"v":1}', undefined, 7)));
    expect(id(message('{"v":1}', undefined, 7))).not.toBe(id(message('{"v":1}', undefined, 8)));
    // With the time in the payload, the delivery does not matter.
    const timed = { timestamp: 'at' };
    expect(id(message('{"at":"2026-01-01T00:00:00Z"}', undefined, 1), timed)).toBe(
      id(message('{"at":"2026-01-01T00:00:00Z"}', undefined, 2), timed),
    );
    // The payload's own id wins, per topic.
    const own = { message_id: 'seq' };
    expect(id(message('{"seq":5,"v":1}'), own)).toBe(id(message('{"seq":5,"v":2}', undefined, 9), own));
    expect(id(message('{"seq":5}'), own)).not.toBe(id(message('{"seq":5}', 'meters/m-18/fault'), own));
    expect(id(message('{"seq":5}'), own)).toMatch(/^mqtt-[0-9a-f]{32}$/);
  });
});

describe('topic filters', () => {
  it('matches + and # as MQTT does, and shared subscriptions by their filter', () => {
    expect(topicMatches('meters/+/fault', 'meters/m1/fault')).toBe(true);
    expect(topicMatches('meters/+/fault', 'meters/m1/ok')).toBe(false);
    expect(topicMatches('meters/+/fault', 'meters/a/b/fault')).toBe(false);
    expect(topicMatches('meters/#', 'meters')).toBe(true);
    expect(topicMatches('meters/#', 'meters/a/b')).toBe(true);
    expect(topicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(plainFilter('$share/weft/meters/+/fault')).toBe('meters/+/fault');
  });
});
