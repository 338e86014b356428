/**
 * Membership as CampaignMember records: `ctx.list` is the Campaign id, the sync key is the
 * member's external id on `ctx.object` (Contact or Lead). The CampaignMember id is kept as the
 * record's destinationId, so a later removal deletes it without a lookup.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { dataPath, externalIdOf, type SalesforceContext, sfJson, sObjectOf } from './api.js';
import { type SaveResult, toResults } from './collections.js';
import { campaignMembers, idsByExternalId } from './lookup.js';
import { deleteIds } from './remove.js';

function target(ctx: SalesforceContext): { campaignId: string; memberField: 'ContactId' | 'LeadId' } {
  if (!ctx.list) throw new DestinationError('config', 'membership needs `list`: the Salesforce Campaign id');
  const object = sObjectOf(ctx);
  if (object !== 'Contact' && object !== 'Lead') {
    throw new DestinationError(
      'config',
      `campaign members are Contacts or Leads, not ${object} (set object)`,
    );
  }
  return { campaignId: ctx.list, memberField: object === 'Contact' ? 'ContactId' : 'LeadId' };
}

/** Record key → Contact/Lead id (by external id). */
function members(ctx: SalesforceContext, records: DestinationRecord[]): Promise<Map<string, string>> {
  return idsByExternalId(
    ctx,
    sObjectOf(ctx),
    externalIdOf(ctx),
    records.map((r) => r.key),
  );
}

/** addMembers: creates the CampaignMembers that do not exist yet; existing ones are ok as they are. */
export async function addCampaignMembers(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const { campaignId, memberField } = target(ctx);
  const people = await members(ctx, records);
  const existing = await campaignMembers(ctx, campaignId, memberField, [...people.values()]);
  const results: RecordResult[] = records.map((r) => {
    const person = people.get(r.key);
    if (person === undefined) {
      return {
        status: 'rejected',
        reason: `no ${sObjectOf(ctx)} with ${externalIdOf(ctx)} = '${r.key}' to add to campaign ${campaignId}`,
      };
    }
    const member = existing.get(person);
    return member ? { status: 'ok', destinationId: member } : { status: 'ok' };
  });
  const create = records
    .map((r, i) => ({ i, person: people.get(r.key) }))
    .filter(({ person }) => person !== undefined && !existing.has(person));
  if (create.length === 0) return results;
  const status = ctx.settings.campaign_member_status;
  const answer = await sfJson<SaveResult[]>(ctx, {
    method: 'POST',
    path: dataPath(ctx, '/composite/sobjects'),
    json: {
      allOrNone: false,
      records: create.map(({ person }) => ({
        attributes: { type: 'CampaignMember' },
        CampaignId: campaignId,
        [memberField]: person,
        ...(status !== undefined && { Status: status }),
      })),
    },
  });
  const mapped = toResults(answer, create.length);
  create.forEach(({ i }, k) => {
    results[i] = mapped[k] as RecordResult;
  });
  return results;
}

/** removeMembers: deletes the CampaignMembers (by kept id, else looked up); a non-member is done. */
export async function removeCampaignMembers(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const { campaignId, memberField } = target(ctx);
  const unknown = records.filter((r) => !r.destinationId);
  let byKey = new Map<string, string>();
  if (unknown.length > 0) {
    const people = await members(ctx, unknown);
    const existing = await campaignMembers(ctx, campaignId, memberField, [...people.values()]);
    byKey = new Map(
      [...people].flatMap(([key, person]) => {
        const member = existing.get(person);
        return member ? [[key, member] as [string, string]] : [];
      }),
    );
  }
  return deleteIds(
    ctx,
    records.map((r) => r.destinationId ?? byKey.get(r.key)),
  );
}
