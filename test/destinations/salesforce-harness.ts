/** Starting the Salesforce emulator for tests, and reading what it holds. */
import {
  type SalesforceEmulatorOptions,
  type SalesforceEmulatorState,
  salesforceEmulator,
} from '../../destinations/salesforce/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';

/** A running Salesforce emulator. */
export type SalesforceSandbox = RunningEmulator<SalesforceEmulatorState>;

/** Starts an emulator with `options`. */
export function startSalesforce(
  options: Partial<SalesforceEmulatorOptions> = {},
): Promise<SalesforceSandbox> {
  return startEmulator<SalesforceEmulatorOptions, SalesforceEmulatorState>(salesforceEmulator, { options });
}

/** The emulator's records of `object`, keyed by External_Id__c, without Id. */
export function recordsByExternalId(
  emulator: SalesforceSandbox,
  object = 'Contact',
): Record<string, Record<string, unknown>> {
  const rows = Object.values(emulator.snapshot().state.records[object] ?? {});
  return Object.fromEntries(
    rows.map(
      ({ Id: _id, ...fields }) =>
        [String(fields.External_Id__c), fields] as [string, Record<string, unknown>],
    ),
  );
}

/** POSTs a test control (`expire-tokens`, `lock-rows`, `usage`). */
export async function control(
  emulator: SalesforceSandbox,
  action: string,
  body: unknown = {},
): Promise<unknown> {
  const response = await fetch(`${emulator.url}/__salesforce/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}
