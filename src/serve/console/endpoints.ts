/** The console's JSON API, one line per endpoint; the data lives in the *-data.ts modules. */
import type { Project } from '../../config/types.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { previewSync } from '../../sync/preview.js';
import { runSync } from '../../sync/run-sync.js';
import { draftInsights } from './audience-insights.js';
import {
  audienceFile,
  audienceList,
  builderVocabulary,
  draftDiff,
  draftSize,
  saveDraft,
} from './audiences-data.js';
import { type ConsoleContext, ConsoleError } from './context.js';
import { lineage } from './lineage-data.js';
import { lineageDetail } from './lineage-detail.js';
import { overview } from './overview-data.js';
import { privacyErase, privacyExport, privacyRequest } from './privacy-data.js';
import { profilePage } from './profile-data.js';
import type { ApiEndpoint } from './routes.js';
import { runDetail, syncRuns } from './syncs-data.js';

const NAME = '([A-Za-z0-9_.-]+)';

function syncConfig(project: Project, name: string) {
  const found = project.syncs.find((s) => s.value.name === name);
  if (!found) throw new ConsoleError(404, `no sync named '${name}'`);
  return found.value;
}

/**
 * Runs `call` with a signal aborted when the client goes away or, with a `key` (one builder's
 * call of one kind), when a newer call with that key comes (ConsoleContext.latest).
 */
function latestOnly<T>(
  ctx: ConsoleContext,
  key: string | undefined,
  draft: string,
  signal: AbortSignal,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!key) return call(signal);
  const unit = ctx.latest(key, draft, signal);
  return call(unit).finally(() => ctx.settled(key, unit));
}

/** Every endpoint, matched in order. */
export const apiEndpoints: ApiEndpoint[] = [
  {
    method: 'GET',
    pattern: /^session$/,
    role: 'viewer',
    handle: async ({ ctx, role }) => ({ role, project: ctx.project().config.name }),
  },
  {
    method: 'GET',
    pattern: /^overview$/,
    role: 'viewer',
    handle: ({ ctx }) => ctx.warehouse((wh) => overview(ctx.project(), wh)),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^syncs/${NAME}/runs$`),
    role: 'viewer',
    handle: ({ ctx, params }) => ctx.warehouse((wh) => syncRuns(ctx.project(), wh, params[0]!)),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^runs/${NAME}$`),
    role: 'viewer',
    handle: ({ ctx, params }) => ctx.warehouse((wh) => runDetail(ctx.project(), wh, params[0]!)),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^syncs/${NAME}/plan$`),
    role: 'editor',
    handle: ({ ctx, params }) =>
      ctx.warehouse(async (wh) => {
        const plan = await previewSync(ctx.project(), wh, syncConfig(ctx.project(), params[0]!), {
          samples: 5,
        });
        return jsonValue(plan);
      }),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^syncs/${NAME}/sync$`),
    role: 'editor',
    handle: ({ ctx, params }) =>
      ctx.warehouse(async (wh) => {
        const outcome = await runSync(ctx.project(), wh, syncConfig(ctx.project(), params[0]!));
        return jsonValue(outcome.summary);
      }),
  },
  {
    method: 'GET',
    pattern: /^profiles$/,
    role: 'viewer',
    handle: ({ ctx, url }) =>
      ctx.warehouse((wh) => profilePage(ctx.project(), wh, url.searchParams.get('q') ?? '')),
  },
  {
    method: 'POST',
    pattern: /^privacy\/export$/,
    role: 'editor',
    handle: ({ ctx, body }) => ctx.warehouse((wh) => privacyExport(ctx.project(), wh, body.query)),
  },
  {
    method: 'POST',
    pattern: /^privacy\/erase$/,
    role: 'editor',
    handle: ({ ctx, body }) => ctx.warehouse((wh) => privacyErase(ctx.project(), wh, body.query)),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^privacy/requests/${NAME}$`),
    role: 'editor',
    handle: ({ ctx, params }) => ctx.warehouse((wh) => privacyRequest(ctx.project(), wh, params[0]!)),
  },
  {
    method: 'GET',
    pattern: /^audiences$/,
    role: 'viewer',
    handle: ({ ctx }) => ctx.warehouse((wh) => audienceList(ctx.project(), wh)),
  },
  {
    method: 'GET',
    pattern: /^audience-vocabulary$/,
    role: 'viewer',
    handle: ({ ctx }) => ctx.warehouse((wh) => builderVocabulary(ctx.project(), wh)),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^audiences/${NAME}$`),
    role: 'viewer',
    handle: async ({ ctx, params }) => audienceFile(ctx.project(), params[0]!),
  },
  {
    method: 'POST',
    pattern: /^audiences\/size$/,
    role: 'viewer',
    handle: ({ ctx, body, signal, builder }) => {
      const draft = JSON.stringify(body.audience);
      // A newer draft cancels the builder's insights of an older one still pending.
      if (builder) ctx.supersede(`insights:${builder}`, draft);
      return latestOnly(ctx, builder && `size:${builder}`, draft, signal, (unit) =>
        ctx.warehouse((wh) => draftSize(ctx.project(), wh, body.audience), { signal: unit }),
      );
    },
  },
  {
    method: 'POST',
    pattern: /^audiences\/insights$/,
    role: 'viewer',
    // Own lane: a live size never waits behind a draft's insights; a newer draft's call (size or
    // insights) from the same builder cancels the insights still pending.
    handle: ({ ctx, body, signal, builder }) =>
      latestOnly(ctx, builder && `insights:${builder}`, JSON.stringify(body.audience), signal, (unit) =>
        ctx.warehouse((wh) => draftInsights(ctx.project(), wh, body.audience), {
          lane: 'insights',
          signal: unit,
        }),
      ),
  },
  {
    method: 'POST',
    pattern: /^audiences\/diff$/,
    role: 'viewer',
    handle: async ({ ctx, body }) => draftDiff(ctx.project(), body.audience),
  },
  {
    method: 'POST',
    pattern: /^audiences\/save$/,
    role: 'editor',
    handle: async ({ ctx, body }) => {
      const saved = await saveDraft(ctx.project(), body.audience);
      await ctx.reload();
      return saved;
    },
  },
  {
    method: 'GET',
    pattern: /^lineage$/,
    role: 'viewer',
    handle: async ({ ctx }) => lineage(ctx.project()),
  },
  {
    method: 'GET',
    pattern: /^lineage\/([^/]+)$/,
    role: 'viewer',
    handle: ({ ctx, params }) => ctx.warehouse((wh) => lineageDetail(ctx.project(), wh, params[0]!)),
  },
];
