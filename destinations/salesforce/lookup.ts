/** Finding record ids with SOQL (`GET …/query?q=`): by external id, and campaign members. */
import { DestinationError } from '../../src/destination-kit/index.js';
import { dataPath, type SalesforceContext, sfJson } from './api.js';

interface QueryAnswer {
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/** Values per IN (…) list: keeps the URL well under Salesforce's 16,000 character limit. */
const IN_CHUNK = 100;

/** A SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** An API name (object or field) safe to put in SOQL, else a config error. */
export function apiName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new DestinationError('config', `'${name}' is not a Salesforce API name`);
  }
  return name;
}

/** Every record of a SOQL query (following nextRecordsUrl). */
export async function query(ctx: SalesforceContext, soql: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let answer = await sfJson<QueryAnswer>(ctx, { path: dataPath(ctx, '/query'), query: { q: soql } });
  records.push(...answer.records);
  while (!answer.done && answer.nextRecordsUrl) {
    answer = await sfJson<QueryAnswer>(ctx, { path: answer.nextRecordsUrl });
    records.push(...answer.records);
  }
  return records;
}

/** external id value → record id, for the values Salesforce has. */
export async function idsByExternalId(
  ctx: SalesforceContext,
  sObject: string,
  externalIdField: string,
  values: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const field = apiName(externalIdField);
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    const list = values
      .slice(i, i + IN_CHUNK)
      .map(soqlString)
      .join(',');
    const rows = await query(ctx, `SELECT Id, ${field} FROM ${apiName(sObject)} WHERE ${field} IN (${list})`);
    for (const row of rows) found.set(String(row[field]), String(row.Id));
  }
  return found;
}

/** member (Contact/Lead) id → CampaignMember id, for members of `campaignId` among `memberIds`. */
export async function campaignMembers(
  ctx: SalesforceContext,
  campaignId: string,
  memberField: 'ContactId' | 'LeadId',
  memberIds: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < memberIds.length; i += IN_CHUNK) {
    const list = memberIds
      .slice(i, i + IN_CHUNK)
      .map(soqlString)
      .join(',');
    const rows = await query(
      ctx,
      `SELECT Id, ${memberField} FROM CampaignMember WHERE CampaignId = ${soqlString(campaignId)} AND ${memberField} IN (${list})`,
    );
    for (const row of rows) found.set(String(row[memberField]), String(row.Id));
  }
  return found;
}
