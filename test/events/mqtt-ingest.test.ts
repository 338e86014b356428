/**
 * MQTT ingestion against the real Mosquitto: messages land in the log by their mapping, a
 * failed append is never acknowledged (the broker delivers the message again), messages
 * published while weft is down arrive on restart (persistent session), bad payloads are
 * reported and do not block the rest. Skips unless the broker answers (WEFT_REQUIRE_MQTT=1: fails).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttConfig } from '../../src/config/schemas/mqtt.js';
import { mqttSchema } from '../../src/config/schemas/mqtt.js';
import { type MqttIngest, startMqttIngest } from '../../src/events/mqtt/index.js';
import { MemoryLog, mqttAvailable, mqttUrl, publish, purgeSession, uniqueNames } from './mqtt-support.js';

const running: MqttIngest[] = [];
const sessions: string[] = [];

function configFor(clientId: string, root: string, topic: Record<string, unknown> = {}): MqttConfig {
  sessions.push(clientId);
  return mqttSchema.parse({
    url: mqttUrl,
    client_id: clientId,
    topics: [{ topic: `${root}/meters/+/reading`, device_id: 'topic:4', event: 'Meter Reading', ...topic }],
  });
}

async function start(config: MqttConfig, log: MemoryLog, errors: string[] = []): Promise<MqttIngest> {
  const ingest = await startMqttIngest(config, log, { onError: (e) => errors.push(e.message) });
  running.push(ingest);
  return ingest;
}

afterEach(async () => {
  for (const ingest of running.splice(0)) await ingest.close();
  for (const clientId of sessions.splice(0)) await purgeSession(clientId);
});

describe('startMqttIngest', () => {
  it('names the broker it cannot reach, without the password', async () => {
    const config = mqttSchema.parse({ url: 'mqtt://weft:s3cret@127.0.0.1:1', topics: [{ topic: 'a/b' }] });
    const failure = await startMqttIngest(config, new MemoryLog()).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/Cannot subscribe at the MQTT broker mqtt:\/\/127\.0\.0\.1:1/);
    expect((failure as Error).message).not.toContain('s3cret');
  });
});

describe.runIf(mqttAvailable)('MQTT ingestion (live broker)', () => {
  it('appends each message, mapped, to the log', async () => {
    const { root, clientId } = uniqueNames();
    const log = new MemoryLog();
    const ingest = await start(configFor(clientId, root, { source: 'meters' }), log);
    await publish([
      [`${root}/meters/m-1/reading`, '{"kwh":12.25}'],
      [`${root}/meters/m-2/reading`, '{"kwh":3}'],
      [`${root}/other/m-3/reading`, '{"kwh":99}'], // not subscribed
    ]);
    const events = await log.waitFor(2);
    expect(events.map((e) => [e.event, e.source, e.anonymousId, e.properties])).toEqual([
      ['Meter Reading', 'meters', 'device:m-1', { kwh: 12.25 }],
      ['Meter Reading', 'meters', 'device:m-2', { kwh: 3 }],
    ]);
    expect(ingest.received).toBe(2);
  });

  it('does not acknowledge a message the log refused: the broker delivers it again', async () => {
    const { root, clientId } = uniqueNames();
    const log = new MemoryLog();
    log.failNext = 1;
    const errors: string[] = [];
    await start(configFor(clientId, root), log, errors);
    await publish([[`${root}/meters/m-1/reading`, '{"kwh":1}']]);
    const events = await log.waitFor(1);
    expect(events.map((e) => e.properties)).toEqual([{ kwh: 1 }]);
    expect(log.appendCalls).toBeGreaterThanOrEqual(2);
    expect(errors.some((e) => /not acknowledged.*disk full \(test\)/.test(e))).toBe(true);
  });

  it('gets the messages published while it was down when it comes back (persistent session)', async () => {
    const { root, clientId } = uniqueNames();
    const config = configFor(clientId, root);
    const first = new MemoryLog();
    const ingest = await start(config, first);
    await publish([[`${root}/meters/m-1/reading`, '{"seq":1}']]);
    await first.waitFor(1);
    await ingest.close();
    running.splice(running.indexOf(ingest), 1);
    await publish([
      [`${root}/meters/m-1/reading`, '{"seq":2}'],
      [`${root}/meters/m-1/reading`, '{"seq":3}'],
    ]);
    const second = new MemoryLog();
    await start(config, second);
    const events = await second.waitFor(2);
    expect(events.map((e) => e.properties)).toEqual([{ seq: 2 }, { seq: 3 }]);
    expect(first.events.map((e) => e.properties)).toEqual([{ seq: 1 }]);
  });

  it('reports and drops a bad payload, and keeps taking the others', async () => {
    const { root, clientId } = uniqueNames();
    const log = new MemoryLog();
    const errors: string[] = [];
    const ingest = await start(configFor(clientId, root, { timestamp: 'at' }), log, errors);
    await publish([
      [`${root}/meters/m-1/reading`, Buffer.from([0xc3, 0x28])],
      [`${root}/meters/m-1/reading`, '{"at":"soon"}'],
      [`${root}/meters/m-1/reading`, '{"at":"2026-02-01T10:00:00Z","kwh":2}'],
    ]);
    const events = await log.waitFor(1);
    expect(events.map((e) => [e.timestamp, e.properties])).toEqual([
      ['2026-02-01T10:00:00.000Z', { at: '2026-02-01T10:00:00Z', kwh: 2 }],
    ]);
    expect(ingest.rejected).toBe(2);
    expect(errors).toEqual([
      `MQTT message on ${root}/meters/m-1/reading dropped: the payload is not UTF-8 text (2 bytes of binary)`,
      `MQTT message on ${root}/meters/m-1/reading dropped: payload field 'at' is not a time (ISO 8601 or epoch)`,
    ]);
  });
});
