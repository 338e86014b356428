/** The Klaviyo emulator's endpoints, after auth, revision and rate limits passed. */
import type { EmulatorRequest, EmulatorResponse, EmulatorTools } from '../../../src/sandbox/types.js';
import type { KlaviyoEmulatorOptions } from '../emulator.js';
import { jsonApiError } from './errors.js';
import type { ImportJob, KlaviyoProfile, KlaviyoStore } from './store.js';

/** What a route needs. */
export interface RouteInput {
  request: EmulatorRequest;
  /** Path without a trailing slash. */
  path: string;
  tools: EmulatorTools;
  store: KlaviyoStore;
  config: KlaviyoEmulatorOptions;
}

/** A route's answer, with the number of profiles or ids the request carried (for the log). */
export interface RouteResult {
  response: EmulatorResponse;
  items?: number;
}

/** An absolute URL on the emulator's host, as Klaviyo's `links` carry them. */
function link(input: RouteInput, path: string): string {
  return `http://${input.request.headers.host}${path}`;
}

const notFound = (what: string) => jsonApiError(404, 'not_found', 'Not found.', `${what} does not exist.`);

/** A job resource; like every Klaviyo resource object it carries `links.self`. */
function jobDocument(input: RouteInput, job: ImportJob) {
  return {
    data: {
      type: 'profile-bulk-import-job',
      id: job.id,
      attributes: {
        status: job.status,
        created_at: job.created_at,
        total_count: job.profiles.length,
        completed_count: job.completed_count,
        failed_count: job.failed_count,
        completed_at: job.completed_at ?? null,
      },
      relationships: job.listId ? { lists: { data: [{ type: 'list', id: job.listId }] } } : {},
      links: { self: link(input, `/api/profile-bulk-import-jobs/${job.id}`) },
    },
  };
}

function profileResource(input: RouteInput, profile: KlaviyoProfile) {
  const { email, phone_number, external_id } = profile;
  return {
    type: 'profile',
    id: profile.id,
    attributes: { ...profile.attributes, email, phone_number, external_id },
    links: { self: link(input, `/api/profiles/${profile.id}`) },
  };
}

/** A page of `items` by `page[size]` and a numeric `page[cursor]`, with an absolute `links.next`. */
function page<T>(input: RouteInput, items: T[], maxSize: number) {
  const { request, path } = input;
  const size = Math.min(maxSize, Math.max(1, Number(request.query.get('page[size]') ?? 20) || 20));
  const start = Number(request.query.get('page[cursor]') ?? 0) || 0;
  const end = start + size;
  const query = new URLSearchParams(request.query);
  query.set('page[cursor]', String(end));
  const next = end < items.length ? link(input, `${path}?${query}`) : null;
  return { data: items.slice(start, end), links: { self: link(input, path), next } };
}

function createJob(input: RouteInput): RouteResult {
  const { request, store, config } = input;
  if (request.body.length > config.maxJobBytes)
    return {
      response: jsonApiError(
        413,
        'payload_too_large',
        'Payload too large.',
        `A job payload may be at most ${config.maxJobBytes} bytes.`,
      ),
    };
  const body = request.json() as
    | {
        data?: {
          type?: string;
          attributes?: { profiles?: { data?: Array<{ attributes?: Record<string, unknown> }> } };
          relationships?: { lists?: { data?: Array<{ id?: string }> } };
        };
      }
    | undefined;
  const profiles = body?.data?.attributes?.profiles?.data;
  if (body?.data?.type !== 'profile-bulk-import-job' || !Array.isArray(profiles))
    return {
      response: jsonApiError(
        400,
        'invalid',
        'Invalid input.',
        'Expected a profile-bulk-import-job with attributes.profiles.data.',
      ),
    };
  if (profiles.length > config.maxJobProfiles) {
    const detail = `A job may contain at most ${config.maxJobProfiles} profiles.`;
    return {
      response: jsonApiError(400, 'invalid', 'Invalid input.', detail, '/data/attributes/profiles/data'),
      items: profiles.length,
    };
  }
  const listId = body.data.relationships?.lists?.data?.[0]?.id;
  if (listId !== undefined && !store.lists.has(listId))
    return { response: notFound(`List ${listId}`), items: profiles.length };
  const job = store.createJob(
    profiles.map((p) => p.attributes ?? {}),
    listId,
  );
  return { response: { status: 202, body: jobDocument(input, job) }, items: profiles.length };
}

function relationships(input: RouteInput, listId: string): RouteResult {
  const { request, store, config } = input;
  const members = store.lists.get(listId);
  if (!members) return { response: notFound(`List ${listId}`) };
  const data = (request.json() as { data?: Array<{ type?: string; id?: string }> } | undefined)?.data;
  if (!Array.isArray(data))
    return {
      response: jsonApiError(400, 'invalid', 'Invalid input.', 'Expected data: [{type: profile, id}].'),
    };
  if (data.length > config.maxRelationships) {
    const detail = `At most ${config.maxRelationships} profiles per request.`;
    return { response: jsonApiError(400, 'invalid', 'Invalid input.', detail), items: data.length };
  }
  const ids = data.map((item) => String(item.id));
  if (request.method === 'DELETE') for (const id of ids) members.delete(id);
  else {
    const unknown = ids.find((id) => !store.profiles.has(id));
    if (unknown) return { response: notFound(`Profile ${unknown}`), items: ids.length };
    for (const id of ids) members.add(id);
  }
  return { response: { status: 204 }, items: ids.length };
}

/** `any(email,["a","b"])` or `equals(email,"a")` → the field and values. */
function parseFilter(filter: string): { field: string; values: string[] } | undefined {
  const match = /^(any|equals)\((email|phone_number|external_id|id),(.*)\)$/.exec(filter.trim());
  if (!match) return undefined;
  try {
    const parsed = JSON.parse(match[3] ?? '') as unknown;
    const values = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
    return { field: match[2] ?? '', values };
  } catch {
    return undefined;
  }
}

function profiles(input: RouteInput): RouteResult {
  const { request, store } = input;
  const filterText = request.query.get('filter');
  let list = [...store.profiles.values()];
  if (filterText !== null) {
    const filter = parseFilter(filterText);
    if (!filter)
      return {
        response: jsonApiError(
          400,
          'invalid',
          'Invalid input.',
          `Unsupported filter ${filterText}`,
          '/filter',
        ),
      };
    const wanted = new Set(filter.values);
    list = list.filter((p) =>
      wanted.has(String((filter.field === 'id' ? p.id : p[filter.field as 'email']) ?? '')),
    );
  }
  return {
    response: {
      status: 200,
      body: page(
        input,
        list.map((profile) => profileResource(input, profile)),
        100,
      ),
    },
  };
}

function privacyDeletion(input: RouteInput): RouteResult {
  const { request, store } = input;
  const data = (
    request.json() as {
      data?: { attributes?: { profile?: { data?: { id?: string; attributes?: Record<string, unknown> } } } };
    }
  )?.data;
  const target = data?.attributes?.profile?.data;
  const profile = target?.id ? store.profiles.get(target.id) : store.find(target?.attributes ?? {});
  if (profile) store.erase(profile);
  return { response: { status: 202 } };
}

/** Answers one authorised, revisioned, unthrottled request. */
export function routeKlaviyo(input: RouteInput): RouteResult {
  const { request, path, store, tools } = input;
  const { method } = request;
  if (path === '/api/accounts' && method === 'GET')
    return {
      response: { status: 200, body: { data: [{ type: 'account', id: 'SANDBOX', attributes: {} }] } },
    };
  if (path === '/api/profile-bulk-import-jobs' && method === 'POST') return createJob(input);
  if (path === '/api/profiles' && method === 'GET') return profiles(input);
  if (path === '/api/data-privacy-deletion-jobs' && method === 'POST') return privacyDeletion(input);
  const job = /^\/api\/profile-bulk-import-jobs\/([^/]+)(\/import-errors)?$/.exec(path);
  if (job && method === 'GET') {
    const found = store.jobs.get(job[1] ?? '');
    if (!found) return { response: notFound(`Import job ${job[1]}`) };
    if (job[2]) return { response: { status: 200, body: page(input, found.errors, 100) } };
    return { response: { status: 200, body: jobDocument(input, store.readJob(found, tools)) } };
  }
  const list = /^\/api\/lists\/([^/]+)(\/relationships\/profiles)?$/.exec(path);
  if (list?.[2] && (method === 'POST' || method === 'DELETE')) return relationships(input, list[1] ?? '');
  if (list && !list[2] && method === 'GET') {
    const id = list[1] ?? '';
    return store.lists.has(id)
      ? {
          response: {
            status: 200,
            body: {
              data: {
                type: 'list',
                id,
                attributes: { name: `List ${id}` },
                links: { self: link(input, `/api/lists/${id}`) },
              },
            },
          },
        }
      : { response: notFound(`List ${id}`) };
  }
  return { response: jsonApiError(404, 'not_found', 'Not found.', `${method} ${path} is not an endpoint.`) };
}
