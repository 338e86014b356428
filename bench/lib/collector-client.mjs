// The collector bench's load generator, a process of its own (so its work never shares the
// collector's event loop): `fork`ed by bench/collector.mjs, told what to run over IPC, answers
// over IPC. Times are wall-clock milliseconds (performance.timeOrigin + now) so the parent can
// compare them with its own.
import { createHash } from 'node:crypto';
import http from 'node:http';
import mqtt from 'mqtt';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let seq = 0;
const wall = () => performance.timeOrigin + performance.now();

function body(track) {
  const batch = [];
  for (let i = 0; i < 100; i++) {
    const messageId = `b-${process.pid}-${seq++}`;
    batch.push({
      type: 'track',
      userId: `u${seq % 1000}`,
      event: 'Bench Event',
      messageId,
      properties: { n: seq, plan: 'pro' },
    });
  }
  return { text: JSON.stringify({ batch }), ids: track ? batch.map((b) => b.messageId) : [] };
}

function post(url, auth, text) {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/v1/batch`,
      { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    // A reset connection counts as a refused request (status 0), not a crash of the generator.
    req.on('error', () => resolve(0));
    req.end(text);
  });
}

/** Closed loop: `concurrency` requests always in flight for `seconds`. */
async function sustained({ url, auth, seconds, concurrency }) {
  const until = performance.now() + seconds * 1000;
  let events = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const status = await post(url, auth, body(false).text);
        if (status === 200) events += 100;
        else refused++;
      }
    }),
  );
  return { rate: events / ((performance.now() - started) / 1000), refused };
}

/** Open loop: one 100-event request every 100/rate seconds, whatever the answers take. */
async function paced({ url, auth, seconds, eventsPerSecond }) {
  const requests = Math.round((seconds * eventsPerSecond) / 100);
  const gap = 1000 / (eventsPerSecond / 100);
  const latencies = [];
  const acked = [];
  let refused = 0;
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < requests; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const { text, ids } = body(true);
    const t0 = performance.now();
    inflight.push(
      post(url, auth, text).then((status) => {
        latencies.push(performance.now() - t0);
        if (status === 200) {
          const at = wall();
          for (const id of ids) acked.push([id, at]);
        } else refused++;
      }),
    );
  }
  await Promise.all(inflight);
  return { latencies, acked, refused };
}

/**
 * MQTT devices: `rate` QoS 1 readings a second for `seconds`, on `<root>/<device>/reading` with a
 * payload id; answers the messageId weft derives for each (mqtt- + sha256(topic \0 id)) with the
 * wall-clock time the broker acknowledged it, so the parent can time publish → landed.
 */
async function mqttPaced({ mqttUrl, root, seconds, rate }) {
  const client = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0 });
  const total = Math.round(seconds * rate);
  const gap = 1000 / rate;
  const acked = [];
  let failed = 0;
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const topic = `${root}/m-${i % 500}/reading`;
    const id = `r-${i}`;
    const messageId = `mqtt-${createHash('sha256').update(topic).update('\0').update(id).digest('hex').slice(0, 32)}`;
    inflight.push(
      client
        .publishAsync(topic, JSON.stringify({ id, kwh: i / 10, ts: new Date().toISOString() }), { qos: 1 })
        .then(
          () => acked.push([messageId, wall()]),
          () => failed++,
        ),
    );
  }
  await Promise.all(inflight);
  await client.endAsync();
  return { acked, failed, seconds: (performance.now() - start) / 1000 };
}

process.on('message', async (task) => {
  const result =
    task.kind === 'sustained'
      ? await sustained(task)
      : task.kind === 'mqtt'
        ? await mqttPaced(task)
        : await paced(task);
  process.send(result);
});
