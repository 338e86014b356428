/**
 * The end-to-end floor of bench/triggers-serve.mjs: the fastest native way to do the same work
 * with nothing of weft. A bare node:http server takes the same /v1/batch POSTs (acknowledged once
 * parsed: nothing made durable), matches each event against the same rules in plain JS over the
 * same people held in a Map (traits, vip), and forwards each match to the same emulators: one
 * signed POST per webhook firing over 8 keep-alive sockets (the connection's concurrency), Slack
 * paced at its declared 1 message/s. No journal, no log, no warehouse, no live identity.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { benchProfile, PROFILES } from './trigger-bench.mjs';

const SECRET = 'weft-sandbox-secret';
const DAY = 86_400_000;

/** The bench's rules (bench/lib/trigger-bench.mjs writeTriggerProject) in plain JS. */
function matches(event, person, capped) {
  const plan = person?.plan;
  const hits = [];
  const name = event.type === 'page' ? event.name : event.event;
  if (event.type === 'track' && name === 'Checkout Failed') hits.push('checkout_failed');
  if (event.type === 'page' && name === 'Pricing' && plan === 'enterprise') hits.push('enterprise_pricing');
  if (event.type === 'track' && name === 'Cart Updated' && Number(event.properties?.total) >= 900)
    hits.push('big_cart');
  if (event.type === 'identify' && person?.vip) hits.push('vip_signup');
  if (
    event.type === 'track' &&
    name === 'Docs Searched' &&
    String(event.properties?.query ?? '').includes('sso')
  )
    hits.push('docs_search');
  if (event.type === 'track' && name === 'Subscription Cancelled' && plan !== 'free') hits.push('churn_risk');
  if (event.type === 'page' && name === 'Pricing' && person?.vip) {
    const key = `capped_pricing|${event.userId}`;
    const last = capped.get(key);
    const at = Date.parse(event.timestamp);
    if (last === undefined || at - last >= DAY) {
      capped.set(key, at);
      hits.push('capped_pricing');
    }
  }
  if (event.type === 'track' && name === 'Demo Requested' && person?.vip) hits.push('vip_demo');
  return hits;
}

/** Starts the floor server forwarding to `webhookUrl` / `slackUrl`; answers its URL and `close`. */
export async function startTriggerFloor(webhookUrl, slackUrl) {
  const people = new Map();
  for (let i = 0; i < PROFILES; i++) {
    const p = benchProfile(i);
    people.set(p.userId, p);
  }
  const capped = new Map();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const counts = { forwarded: 0, failed: 0, inflight: 0 };
  const post = (url, body, headers) =>
    new Promise((resolve) => {
      counts.inflight++;
      const done = () => {
        counts.inflight--;
        resolve();
      };
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) counts.forwarded++;
            else counts.failed++;
            done();
          });
        },
      );
      req.on('error', () => {
        counts.failed++;
        done();
      });
      req.end(body);
    });
  const slackQueue = [];
  const slackTimer = setInterval(() => {
    const text = slackQueue.shift();
    if (text) post(slackUrl, JSON.stringify({ text }), {});
  }, 1000);
  const forward = (rule, event, person) => {
    const email = person?.email ?? '';
    if (rule === 'vip_demo') {
      slackQueue.push(`${email} asked for a demo. ${person?.account_manager ?? ''}? [${event.messageId}]`);
      return;
    }
    const data = {
      message_id: event.messageId,
      plan: person?.plan ?? '',
      text: `${rule}: ${event.event ?? ''}${event.name ?? ''} by ${email}`,
      profile: person
        ? { traits: { email, plan: person.plan, lifetime_value: person.lifetime_value } }
        : null,
    };
    const key = `${rule}:${event.messageId}`;
    const body = JSON.stringify({
      batch_id: key,
      sync: `trigger:${rule}`,
      rows: [{ op: 'upsert', key, idempotency_key: key, data }],
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
    post(webhookUrl, body, { 'x-weft-timestamp': timestamp, 'x-weft-signature': signature });
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let events;
      try {
        events = JSON.parse(Buffer.concat(chunks).toString('utf8')).batch;
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
      for (const event of events) {
        const person = people.get(event.userId);
        for (const rule of matches(event, person, capped)) forward(rule, event, person);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    /** Waits until every forward was answered (Slack's paced queue included), then stops. */
    async close() {
      while (slackQueue.length > 0 || counts.inflight > 0) await new Promise((r) => setTimeout(r, 50));
      clearInterval(slackTimer);
      await new Promise((r) => server.close(r));
      agent.destroy();
    },
  };
}
