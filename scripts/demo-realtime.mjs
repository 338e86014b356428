// The real-time part of `npm run demo` (scripts/demo.mjs calls runRealtimeCases): the three moments
// batch syncs cannot serve, each end to end through `weft serve` on the demo project, after the
// build loaded its serving store:
//   1. a VIP views the pricing page → Slack (sandbox) names their account manager
//      (models/triggers/vip_pricing.yml);
//   2. the website asks the personalization endpoint with a publishable key and the visitor's
//      ajs_anonymous_id cookie → "enterprise" for an enterprise visitor, not for another; the
//      answer holds only weft.yml serve.public (no email, no spend);
//   3. a smart meter publishes a fault to Mosquitto (MQTT) → the support queue's webhook (sandbox)
//      with the customer's profile (models/triggers/meter_fault.yml). Skipped, with a note, when no
//      broker answers.
// Every wait polls with a deadline, so the demo never hangs.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { Analytics } from '@segment/analytics-node';
import mqtt from 'mqtt';
import { loadProjectOrThrow } from '../dist/src/config/index.js';
import { withWarehouse } from '../dist/src/warehouse/shared-access.js';

const WAIT_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 100 ms until it returns a value, or undefined after `ms`. */
async function poll(probe, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  return undefined;
}

/** Whether a TCP connection to the MQTT broker of `url` opens within 1.5 s. */
function brokerAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 1883) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The people the cases act for, from the build just made (first by profile id: stable). */
async function pickPeople(project) {
  const one = async (w, sql) => (await w.query(sql))[0];
  return withWarehouse(project, async (w) => ({
    vip: await one(
      w,
      `SELECT p.profile_id, p.first_name, p.last_name, p.account_manager, min(m.id_value) AS user_id
       FROM weft.audience_high_value_recent v JOIN weft.profiles p ON p.profile_id = v.profile_id
       JOIN weft.identity_map m ON m.profile_id = p.profile_id AND m.id_type = 'user_id'
       WHERE p.account_manager IS NOT NULL AND p.first_name IS NOT NULL AND p.email IS NOT NULL
       GROUP BY 1, 2, 3, 4 ORDER BY 1 LIMIT 1`,
    ),
    regular: await one(
      w,
      `SELECT p.profile_id, p.first_name, min(m.id_value) AS user_id
       FROM weft.profiles p JOIN weft.identity_map m ON m.profile_id = p.profile_id AND m.id_type = 'user_id'
       WHERE p.profile_id NOT IN (SELECT profile_id FROM weft.audience_high_value_recent)
       GROUP BY 1, 2 ORDER BY 1 LIMIT 1`,
    ),
    enterprise: await one(
      w,
      `SELECT p.profile_id, p.first_name, p.company, min(m.id_value) AS anonymous_id
       FROM weft.audience_enterprise_accounts a JOIN weft.profiles p ON p.profile_id = a.profile_id
       JOIN weft.identity_map m ON m.profile_id = p.profile_id AND m.id_type = 'anonymous_id'
       GROUP BY 1, 2, 3 ORDER BY 1 LIMIT 1`,
    ),
    other: await one(
      w,
      `SELECT p.profile_id, p.first_name, p.plan, min(m.id_value) AS anonymous_id
       FROM weft.profiles p JOIN weft.identity_map m ON m.profile_id = p.profile_id AND m.id_type = 'anonymous_id'
       WHERE p.plan IS NOT NULL
         AND p.profile_id NOT IN (SELECT profile_id FROM weft.audience_enterprise_accounts)
       GROUP BY 1, 2, 3 ORDER BY 1 LIMIT 1`,
    ),
    meter: await one(
      w,
      `SELECT m.id_value AS device_id, p.profile_id, p.first_name, p.last_name
       FROM weft.identity_map m JOIN weft.profiles p ON p.profile_id = m.profile_id
       WHERE m.id_type = 'device_id' AND m.id_value LIKE 'SM-%' AND p.email IS NOT NULL AND p.phone IS NOT NULL
       ORDER BY 1 LIMIT 1`,
    ),
  }));
}

/**
 * A fresh demo forgets the firings of earlier demo runs (weft_state.trigger_runs), so the
 * triggers' once_per caps do not hold back the same people when the demo runs again.
 */
async function forgetEarlierFirings(project) {
  const schema = project.config.state_schema ?? 'weft_state';
  await withWarehouse(project, async (w) => {
    const found = await w.query(
      `SELECT 1 AS x FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = 'trigger_runs'`,
    );
    if (found.length > 0) await w.execute(`DELETE FROM ${schema}.trigger_runs`);
  });
}

/** Starts `weft serve --json` on a free port; resolves with its URL and a stop function. */
function startServe(cli, root, env, withMqtt) {
  const args = [cli, 'serve', '--port', '0', '--json', '--project', root, ...(withMqtt ? [] : ['--no-mqtt'])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const log = [];
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const ready = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    exited.then((code) => reject(new Error(`weft serve exited ${code}:\n${log.slice(-5).join('\n')}`)));
    setTimeout(() => reject(new Error('weft serve did not start within 30 s')), 30_000).unref();
  });
  return ready.then(
    (info) => ({ url: info.url, log, stop }),
    async (error) => {
      await stop();
      throw error;
    },
  );
}

async function emulatorState(url) {
  return (await (await fetch(`${url}/__sandbox/state`)).json()).state;
}

/** Case 1: two pricing-page views through Segment's client library; only the VIP's reaches Slack. */
async function vipOnPricing(serveUrl, writeKey, urls, people) {
  const { vip, regular } = people;
  console.log('1) A VIP views the pricing page → the account manager hears it in Slack');
  const before = (await emulatorState(urls.slack)).messages.length;
  const analytics = new Analytics({ writeKey, host: serveUrl, flushAt: 2, flushInterval: 50 });
  const view = (userId) =>
    analytics.page({
      userId,
      name: 'Pricing',
      properties: { path: '/pricing', url: 'https://shop.example/pricing' },
    });
  view(regular.user_id);
  view(vip.user_id);
  await analytics.closeAndFlush({ timeout: 5000 });
  console.log(
    `   page /pricing by user ${vip.user_id} (VIP ${vip.first_name} ${vip.last_name}, account manager ${vip.account_manager})`,
  );
  console.log(
    `   page /pricing by user ${regular.user_id} (${regular.first_name ?? 'a customer'}, not a VIP)`,
  );
  const messages = await poll(async () => {
    const all = (await emulatorState(urls.slack)).messages;
    return all.length > before ? all.slice(before) : undefined;
  });
  if (!messages) return fail('no Slack message within 10 s');
  for (const message of messages) console.log(`   Slack sandbox received: ${message.text}`);
  const named = messages.some((m) => m.text.includes(vip.account_manager));
  console.log(
    `   ${named ? '✓' : '✗'} one message, naming ${vip.account_manager}; the non-VIP's view sent nothing\n`,
  );
  return named && messages.length === 1;
}

/** Case 2: the personalization endpoint, as the website calls it from the browser. */
async function personalization(serveUrl, project, people) {
  const { enterprise, other } = people;
  const serve = project.config.serve;
  const key = serve.publishable_key;
  console.log(
    '2) The website asks what to show (GET /v1/personalize, publishable key + ajs_anonymous_id cookie)',
  );
  const ask = async (anonymousId) => {
    const response = await fetch(`${serveUrl}/v1/personalize?key=${encodeURIComponent(key)}`, {
      headers: {
        origin: 'https://shop.example',
        cookie: `ajs_anonymous_id=${encodeURIComponent(JSON.stringify(anonymousId))}`,
      },
    });
    return { status: response.status, body: await response.json() };
  };
  const showsEnterprise = (body) => body.audiences?.includes('enterprise_accounts');
  const a = await ask(enterprise.anonymous_id);
  console.log(
    `   visitor ${enterprise.anonymous_id} (${[enterprise.first_name, enterprise.company && `at ${enterprise.company}`].filter(Boolean).join(' ') || 'an enterprise customer'}, plan enterprise): ${JSON.stringify(a.body)}`,
  );
  console.log(`     → ${showsEnterprise(a.body) ? 'enterprise' : 'standard'} content`);
  const b = await ask(other.anonymous_id);
  console.log(`   visitor ${other.anonymous_id} (plan ${other.plan}): ${JSON.stringify(b.body)}`);
  console.log(`     → ${showsEnterprise(b.body) ? 'enterprise' : 'standard'} content`);
  // What the same profile holds behind the secret key, and what the publishable key may not do.
  const full = await fetch(`${serveUrl}/v1/profiles/${enterprise.profile_id}`, {
    headers: { authorization: `Bearer ${serve.viewer_key}` },
  }).then((r) => r.json());
  const hidden = Object.keys(full.traits ?? {}).filter(
    (t) => !serve.public.traits.includes(t) && full.traits[t] !== null,
  );
  const leaked = hidden.filter((t) => t in a.body.traits);
  const publishableOnProfiles = (
    await fetch(`${serveUrl}/v1/profiles/${enterprise.profile_id}`, {
      headers: { authorization: `Bearer ${key}` },
    })
  ).status;
  console.log(
    `   the profile has ${hidden.length} non-public traits (${hidden.slice(0, 4).join(', ')}, …): ${leaked.length === 0 ? 'none' : leaked.join(', ')} in the answer; /v1/profiles with the publishable key: ${publishableOnProfiles}`,
  );
  const ok =
    a.status === 200 &&
    showsEnterprise(a.body) &&
    b.status === 200 &&
    !showsEnterprise(b.body) &&
    leaked.length === 0 &&
    publishableOnProfiles === 401;
  console.log(
    `   ${ok ? '✓' : '✗'} "enterprise" only for the enterprise visitor; nothing non-public left weft\n`,
  );
  return ok;
}

/** Case 3: a meter fault over MQTT reaches the support queue's webhook with the profile. */
async function meterFault(mqttUrl, urls, people) {
  const { meter } = people;
  console.log(`3) Smart meter ${meter.device_id} reports a fault over MQTT → the support queue (webhook)`);
  const client = await mqtt.connectAsync(mqttUrl, { connectTimeout: 3000, reconnectPeriod: 0 });
  const payload = { code: 'E42-VOLTAGE-DROP', severity: 'critical', ts: new Date().toISOString() };
  await client.publishAsync(`meters/${meter.device_id}/fault`, JSON.stringify(payload), { qos: 1 });
  await client.endAsync();
  console.log(`   mosquitto_pub -q 1 -t meters/${meter.device_id}/fault -m '${JSON.stringify(payload)}'`);
  const row = await poll(async () => {
    const rows = Object.values((await emulatorState(urls.webhook)).records['trigger:meter_fault'] ?? {});
    return rows.find((r) => r.device_id === meter.device_id);
  });
  if (!row) return fail('the support queue received nothing within 10 s');
  const profile = row.profile ?? {};
  console.log(`   webhook sandbox received (batch of "trigger:meter_fault"): ${row.text}`);
  console.log(
    `     fields: ${JSON.stringify({ device_id: row.device_id, fault_code: row.fault_code, customer_email: row.customer_email, customer_phone: row.customer_phone, lifetime_value: row.lifetime_value })}`,
  );
  console.log(
    `     profile: ${profile.id ?? profile.profileId}, ${Object.keys(profile.traits ?? {}).length} traits, audiences [${(profile.audiences ?? []).join(', ')}]`,
  );
  const ok = row.customer_email !== undefined && row.text.includes(meter.first_name ?? '');
  console.log(
    `   ${ok ? '✓' : '✗'} the fault reached support with ${meter.first_name} ${meter.last_name}'s profile\n`,
  );
  return ok;
}

function fail(reason) {
  console.log(`   ✗ ${reason}\n`);
  return false;
}

/** What trigger_runs recorded (after serve stopped, so the DuckDB file is free). */
async function showFirings(project) {
  const schema = project.config.state_schema ?? 'weft_state';
  const rows = await withWarehouse(project, (w) =>
    w.query(
      `SELECT trigger_name, status, count(*) AS n FROM ${schema}.trigger_runs GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );
  const text = rows.map((r) => `${r.trigger_name} ${r.status} ${Number(r.n)}`).join(' · ');
  console.log(`   ${schema}.trigger_runs: ${text || 'no firings'}`);
}

/**
 * Runs the three cases against the sandbox emulators at `urls` (webhook, slack). Resolves true
 * when every case that ran did what it says.
 */
export async function runRealtimeCases({ cli, root, urls, env }) {
  const project = await loadProjectOrThrow(root, { env: { ...process.env, ...env } });
  const people = await pickPeople(project);
  await forgetEarlierFirings(project);
  const mqttUrl = project.config.events.mqtt.url;
  const withMqtt = await brokerAnswers(mqttUrl);
  const serve = await startServe(cli, root, env, withMqtt);
  console.log(
    `   weft serve on ${serve.url}: triggers vip_pricing and meter_fault, the profile API and personalization${withMqtt ? `, MQTT from ${mqttUrl}` : ''}\n`,
  );
  const results = [];
  try {
    results.push(await vipOnPricing(serve.url, project.config.events.sources.web.write_key, urls, people));
    results.push(await personalization(serve.url, project, people));
    if (withMqtt) results.push(await meterFault(mqttUrl, urls, people));
    else
      console.log(
        `3) Smart-meter fault over MQTT: SKIPPED — no MQTT broker answers at ${mqttUrl}. Start Mosquitto (mosquitto -p 1883) or set WEFT_MQTT_URL, and run the demo again.\n`,
      );
  } finally {
    await serve.stop();
  }
  await showFirings(project);
  if (results.includes(false)) console.log(serve.log.slice(-10).join('\n'));
  return !results.includes(false);
}
