/**
 * Mailchimp's official Node SDK (`@mailchimp/mailchimp_marketing`) drives the Mailchimp emulator
 * through every operation weft's connector makes: batch subscribe (`POST /lists/{id}`), member
 * tags, archive, permanent delete, merge-field discovery, and the problem+json errors (401, 404,
 * 400, 429) that the SDK rejects with, status and body parsed.
 */
import { createHash } from 'node:crypto';
import mailchimp from '@mailchimp/mailchimp_marketing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MailchimpEmulatorOptions,
  mailchimpEmulator,
} from '../../../destinations/mailchimp/emulator.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';

const LIST = 'a1b2c3d4e5';
const KEY = 'sandboxkey0000000000000000000000-sandbox1';
const hash = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');

let emulator: RunningEmulator;

/** The SDK's rejection for a call that must fail: superagent's error with the parsed problem. */
async function failure(
  call: Promise<unknown>,
): Promise<{ status: number; body: Record<string, unknown>; type: string }> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { status?: number; response?: { body: Record<string, unknown>; type: string } } | undefined;
  expect(error?.status).toBeTypeOf('number');
  return {
    status: error?.status as number,
    body: error?.response?.body ?? {},
    type: error?.response?.type ?? '',
  };
}

function useKey(apiKey: string, url = emulator.url): void {
  mailchimp.setConfig({ apiKey });
  mailchimp.basePath = `${url}/3.0`;
}

beforeAll(async () => {
  emulator = await startEmulator<MailchimpEmulatorOptions>(mailchimpEmulator, { options: { latencyMs: 0 } });
  useKey(KEY);
});
afterAll(() => emulator.close());

describe('@mailchimp/mailchimp_marketing against the Mailchimp emulator', () => {
  it('ping and the audience answer with basic auth', async () => {
    expect(await mailchimp.ping.get()).toEqual({ health_status: "Everything's Chimpy!" });
    expect((await mailchimp.lists.getList(LIST)).id).toBe(LIST);
  });

  it('batch subscribe: new, updated and per-member errors parsed', async () => {
    const first = await mailchimp.lists.batchListMembers(LIST, {
      members: [
        { email_address: 'ada@example.com', status_if_new: 'subscribed', merge_fields: { FNAME: 'Ada' } },
        { email_address: 'not-an-email', status_if_new: 'subscribed', merge_fields: {} },
      ],
      update_existing: true,
    });
    expect(first.new_members.map((m: { email_address: string }) => m.email_address)).toEqual([
      'ada@example.com',
    ]);
    expect(first.new_members[0].id).toBe(hash('ada@example.com'));
    expect(first.errors).toEqual([
      expect.objectContaining({ email_address: 'not-an-email', error_code: 'ERROR_GENERIC' }),
    ]);
    expect(first).toMatchObject({ total_created: 1, total_updated: 0, error_count: 1 });

    const second = await mailchimp.lists.batchListMembers(LIST, {
      members: [
        { email_address: 'ADA@example.com', status_if_new: 'subscribed', merge_fields: { LNAME: 'L' } },
      ],
      update_existing: true,
    });
    expect(second.updated_members[0]).toMatchObject({
      id: hash('ada@example.com'),
      merge_fields: { FNAME: 'Ada', LNAME: 'L' },
    });
  });

  it('tags: 204 through the SDK, and the member lists them as [{id, name}] with tags_count', async () => {
    const id = hash('ada@example.com');
    await expect(
      mailchimp.lists.updateListMemberTags(LIST, id, { tags: [{ name: 'vip', status: 'active' }] }),
    ).resolves.toBeNull();
    await mailchimp.lists.updateListMemberTags(LIST, id, { tags: [{ name: 'beta', status: 'active' }] });
    const member = await mailchimp.lists.getListMember(LIST, id);
    expect(member.tags.map((t: { name: string }) => t.name)).toEqual(['vip', 'beta']);
    for (const tag of member.tags) expect(tag.id).toBeTypeOf('number');
    expect(member.tags_count).toBe(2);
    expect(member.list_id).toBe(LIST);

    await mailchimp.lists.updateListMemberTags(LIST, id, { tags: [{ name: 'vip', status: 'inactive' }] });
    const after = await mailchimp.lists.getListMember(LIST, id);
    expect(after.tags).toEqual([{ id: member.tags[1].id, name: 'beta' }]);
    expect(after.tags_count).toBe(1);

    const stranger = await failure(
      mailchimp.lists.updateListMemberTags(LIST, hash('nobody@example.com'), {
        tags: [{ name: 'vip', status: 'active' }],
      }),
    );
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ status: 404, title: 'Resource Not Found' });
  });

  it('merge-field discovery parses, with the count the connector asks for', async () => {
    const answer = await mailchimp.lists.getListMergeFields(LIST, { count: 1000 });
    expect(answer.merge_fields.map((f: { tag: string }) => f.tag)).toEqual(
      expect.arrayContaining(['FNAME', 'LNAME', 'PHONE']),
    );
    expect(answer.total_items).toBe(answer.merge_fields.length);
  });

  it('archive (DELETE member) and permanent delete: 204; a second delete is a 404 problem', async () => {
    await mailchimp.lists.batchListMembers(LIST, {
      members: [
        { email_address: 'arch@example.com', status_if_new: 'subscribed' },
        { email_address: 'gone@example.com', status_if_new: 'subscribed' },
      ],
      update_existing: true,
    });
    await expect(mailchimp.lists.deleteListMember(LIST, hash('arch@example.com'))).resolves.toBeNull();
    expect((await mailchimp.lists.getListMember(LIST, hash('arch@example.com'))).status).toBe('archived');
    await expect(
      mailchimp.lists.deleteListMemberPermanent(LIST, hash('gone@example.com')),
    ).resolves.toBeNull();
    const again = await failure(mailchimp.lists.deleteListMemberPermanent(LIST, hash('gone@example.com')));
    expect(again.status).toBe(404);
    const back = await mailchimp.lists.batchListMembers(LIST, {
      members: [{ email_address: 'gone@example.com', status_if_new: 'subscribed' }],
      update_existing: true,
    });
    expect(back.errors[0].error).toMatch(/permanently deleted/);
  });

  it('errors: 400 over 500 members and 401 for a wrong key, as problem+json the SDK parses', async () => {
    const tooMany = await failure(
      mailchimp.lists.batchListMembers(LIST, {
        members: Array.from({ length: 501 }, (_, i) => ({ email_address: `u${i}@example.com` })),
        update_existing: true,
      }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.type).toBe('application/problem+json');
    expect(tooMany.body).toMatchObject({ status: 400, title: 'Invalid Resource' });
    expect(String(tooMany.body.detail)).toContain('500');

    useKey('wrong0000-sandbox1');
    try {
      const denied = await failure(mailchimp.ping.get());
      expect(denied.status).toBe(401);
      expect(denied.body).toMatchObject({ title: 'API Key Invalid', status: 401 });
    } finally {
      useKey(KEY);
    }
  });
});

describe('@mailchimp/mailchimp_marketing and the connection limit', () => {
  it('past the simultaneous connections, 429 as a problem the SDK parses', async () => {
    const busy = await startEmulator<MailchimpEmulatorOptions>(mailchimpEmulator, {
      options: { maxConnections: 1, latencyMs: 400 },
    });
    try {
      useKey(KEY, busy.url);
      const answers = await Promise.allSettled([
        mailchimp.ping.get(),
        mailchimp.ping.get(),
        mailchimp.ping.get(),
      ]);
      const refused = answers.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(refused).toHaveLength(2);
      for (const { reason } of refused) {
        expect(reason.status).toBe(429);
        expect(reason.response.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
      }
    } finally {
      useKey(KEY);
      await busy.close();
    }
  });
});
