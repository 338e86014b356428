/**
 * The inbound OpenDSR API of `weft serve` on the seeded demo with every sandbox emulator: admin
 * key only; validation errors are 400 naming the field and never the identifier; an erasure
 * POSTed once (and retried) is one request in the ledger `weft privacy` uses, worked by serve's
 * background runner until the destinations no longer hold the person; signed status callbacks
 * reach the controller (pending … completed); an access request's export is served when
 * completed. No log line holds the person's email.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../src/serve/collector.js';
import { type PrivacyFixture, privacyFixture } from '../privacy/fixture.js';
import { waitFor } from './project.js';

const ADMIN = 'admin-secret-for-privacy-0001';
const SECRET = 'callback-signing-secret-0001';
const ERASE_ID = '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7';
const ACCESS_ID = '0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3';

let f: PrivacyFixture;
let serve: RunningCollector;
let receiver: Server;
let receiverUrl: string;
const callbacks: Array<{ body: string; signature: string | undefined }> = [];
const logs: string[] = [];
let person: { profile_id: string; email: string };

function post(body: unknown, key = ADMIN): Promise<Response> {
  return fetch(`${serve.url}/v1/privacy/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
const get = (route: string) =>
  fetch(`${serve.url}${route}`, { headers: { authorization: `Bearer ${ADMIN}` } });

function request(id: string, type: string, email: string, extra: Record<string, unknown> = {}) {
  return {
    subject_request_id: id,
    subject_request_type: type,
    submitted_time: '2026-01-02T15:00:00Z',
    api_version: '1.0',
    regulation: 'gdpr',
    subject_identities: [{ identity_type: 'email', identity_value: email, identity_format: 'raw' }],
    status_callback_urls: [`${receiverUrl}/callbacks`],
    ...extra,
  };
}

beforeAll(async () => {
  f = await privacyFixture(60);
  // The demo's weft.yml has a serve: block already: the admin key joins it.
  const weftYml = path.join(f.dir, 'weft.yml');
  const config = fs.readFileSync(weftYml, 'utf8');
  if (!/^serve:\n/m.test(config)) throw new Error('the demo weft.yml has no serve: block');
  fs.writeFileSync(weftYml, config.replace(/^serve:\n/m, `serve:\n  admin_key: ${ADMIN}\n`));
  fs.appendFileSync(
    weftYml,
    `privacy:
  api:
    callback_secret: ${SECRET}
    run_interval_seconds: 3600
`,
  );
  const project = await f.reload();
  const [row] = await f.warehouse.query(
    'SELECT profile_id, email FROM weft.audience_high_value_recent ORDER BY profile_id LIMIT 2',
  );
  person = row as typeof person;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      callbacks.push({ body, signature: req.headers['x-opendsr-signature'] as string | undefined });
      res.writeHead(callbacks.length === 1 ? 503 : 200).end(); // the first callback is retried
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  serve = await startCollector(project, { port: 0, store: false, say: (line) => logs.push(line) });
}, 240_000);
afterAll(async () => {
  await serve?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await f?.dispose();
});

describe('POST /v1/privacy/requests', () => {
  it('needs the admin key', async () => {
    expect((await post(request(ERASE_ID, 'erasure', 'x@y.z'), 'wrong-key')).status).toBe(401);
    const anonymous = await fetch(`${serve.url}/v1/privacy/requests/${ERASE_ID}`);
    expect(anonymous.status).toBe(401);
  });

  it('answers 400 naming the field, never the identifier', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ subject_request_id: 'not-a-uuid' }, 'subject_request_id'],
      [{ subject_request_type: 'rectification' }, 'subject_request_type'],
      [{ submitted_time: 'yesterday' }, 'submitted_time'],
      [{ subject_identities: [] }, 'subject_identities'],
      [
        {
          subject_identities: [
            { identity_type: 'email', identity_value: person.email, identity_format: 'sha256' },
          ],
        },
        'subject_identities[0].identity_format',
      ],
      [
        {
          subject_identities: [
            { identity_type: 'ios_advertising_id', identity_value: person.email, identity_format: 'raw' },
          ],
        },
        'subject_identities[0].identity_type',
      ],
      [{ status_callback_urls: ['ftp://controller.example/cb'] }, 'status_callback_urls[0]'],
    ];
    for (const [change, field] of cases) {
      const response = await post(request(ERASE_ID, 'erasure', person.email, change));
      const text = await response.text();
      expect(response.status, field).toBe(400);
      expect((JSON.parse(text) as { error: string }).error.startsWith(`${field}:`), text).toBe(true);
      expect(text).not.toContain(person.email);
    }
    const bad = await fetch(`${serve.url}/v1/privacy/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
      body: '{"subject_request_id":',
    });
    expect(bad.status).toBe(400);
    expect((await get(`/v1/privacy/requests/${ERASE_ID}`)).status).toBe(404);
  });

  it('files an erasure once, works it in the background, and calls back signed statuses', async () => {
    const body = request(ERASE_ID, 'erasure', person.email);
    const first = await post(body);
    expect(first.status).toBe(201);
    const receipt = (await first.json()) as Record<string, string>;
    expect(receipt).toMatchObject({
      subject_request_id: ERASE_ID,
      controller_id: 'demo',
      api_version: '1.0',
    });
    // GDPR: 30 days from the subject's submission.
    expect(receipt.expected_completion_time).toBe('2026-02-01T15:00:00.000Z');
    expect(Buffer.from(receipt.encoded_request as string, 'base64').toString()).toBe(JSON.stringify(body));
    expect(receipt.weft_request_id).toMatch(/^pr_[0-9a-f]{16}$/);
    // A retried POST is the same request.
    const again = (await (await post(body)).json()) as Record<string, string>;
    expect(again.weft_request_id).toBe(receipt.weft_request_id);
    const [count] = await f.warehouse.query(
      `SELECT count(*) AS n FROM weft_state.privacy_requests WHERE request_id = '${receipt.weft_request_id}'`,
    );
    expect(Number(count?.n)).toBe(1);

    const done = await waitFor(
      'the erasure to complete',
      async () => {
        const status = (await (await get(`/v1/privacy/requests/${ERASE_ID}`)).json()) as {
          request_status: string;
          weft: { steps: Array<{ step: string; status: string }> };
        };
        return status.request_status === 'completed' ? status : undefined;
      },
      60_000,
    );
    const steps = Object.fromEntries(done.weft.steps.map((s) => [s.step, s.status]));
    expect(steps['sync:hubspot_contacts']).toBe('acknowledged');
    expect(steps['sync:slack_vip']).toBe('unsupported');
    const {
      requests: _r,
      lastBodies: _b,
      ...held
    } = (f.sandbox.emulators.hubspot?.snapshot().state ?? {}) as Record<string, unknown>;
    expect(JSON.stringify(held)).not.toContain(person.email);

    // Callbacks: every body signed, the first (503) retried, the last one `completed`.
    const final = await waitFor('the completed callback, retried after a 503', async () =>
      callbacks.length >= 2 ? callbacks.at(-1) : undefined,
    );
    expect(JSON.parse(final.body)).toMatchObject({ request_status: 'completed' });
    for (const c of callbacks)
      expect(c.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(c.body).digest('hex')}`);
    expect(JSON.parse(final.body)).toMatchObject({
      subject_request_id: ERASE_ID,
      status_callback_url: `${receiverUrl}/callbacks`,
    });
    expect(callbacks.length).toBeGreaterThanOrEqual(2);
    for (const line of logs) expect(line).not.toContain(person.email);
  });

  it('serves an access request’s export once completed', async () => {
    const [other] = await f.warehouse.query(
      `SELECT profile_id, email FROM weft.audience_high_value_recent WHERE profile_id <> '${person.profile_id}' ORDER BY profile_id LIMIT 1`,
    );
    const filed = await post(request(ACCESS_ID, 'access', String(other?.email)));
    expect(filed.status).toBe(201);
    const status = await waitFor('the export', async () => {
      const s = (await (await get(`/v1/privacy/requests/${ACCESS_ID}`)).json()) as Record<string, string>;
      return s.request_status === 'completed' ? s : undefined;
    });
    expect(status.results_url).toBe(`${serve.url}/v1/privacy/requests/${ACCESS_ID}/export`);
    const exported = (await (await get(`/v1/privacy/requests/${ACCESS_ID}/export`)).json()) as {
      exports: Array<{ profile_id: string; destinations: unknown[] }>;
    };
    expect(exported.exports[0]?.profile_id).toBe(other?.profile_id);
    expect(exported.exports[0]?.destinations.length).toBeGreaterThan(0);
    expect((await get(`/v1/privacy/requests/${ERASE_ID}/export`)).status).toBe(404);
  });
});
