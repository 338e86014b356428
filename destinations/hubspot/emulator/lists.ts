/** The emulator's list endpoints: create a list, add-and-remove memberships, read memberships. */
import type { EmulatorResponse } from '../../../src/sandbox/types.js';
import { errorAnswer } from './answers.js';
import type { HubspotStore } from './store.js';

/** POST /crm/v3/lists `{name, objectTypeId, processingType}`. */
export function createList(
  store: HubspotStore,
  body: { name?: string; objectTypeId?: string; processingType?: string },
): EmulatorResponse {
  if (!body.name) return errorAnswer(400, 'VALIDATION_ERROR', 'name is required');
  const processing = body.processingType === 'DYNAMIC' ? 'DYNAMIC' : 'MANUAL';
  const list = store.createList(body.name, body.objectTypeId ?? '0-1', processing);
  return {
    status: 200,
    body: {
      list: {
        listId: list.listId,
        name: list.name,
        objectTypeId: list.objectTypeId,
        processingType: list.processingType,
      },
    },
  };
}

/** PUT /crm/v3/lists/{listId}/memberships/add-and-remove. */
export function addAndRemove(
  store: HubspotStore,
  listId: string,
  body: { recordIdsToAdd?: unknown[]; recordIdsToRemove?: unknown[] },
): EmulatorResponse {
  const list = store.lists.get(listId);
  if (!list) return errorAnswer(404, 'OBJECT_NOT_FOUND', `List ${listId} does not exist.`);
  if (list.processingType !== 'MANUAL') {
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `List ${listId} is not a MANUAL list; its memberships cannot be changed by the API.`,
    );
  }
  const object = [...store.objects.values()].find((o) => o.objectTypeId === list.objectTypeId);
  const exists = (id: string) => object?.records.has(id) ?? false;
  const added: string[] = [];
  const removed: string[] = [];
  const missing: string[] = [];
  for (const raw of body.recordIdsToAdd ?? []) {
    const id = String(raw);
    if (!exists(id)) missing.push(id);
    else if (!list.members.has(id)) {
      list.members.add(id);
      added.push(id);
    }
  }
  for (const raw of body.recordIdsToRemove ?? []) {
    const id = String(raw);
    if (list.members.delete(id)) removed.push(id);
    else if (!exists(id)) missing.push(id);
  }
  // Sic: HubSpot's answer says "recordsIdsAdded".
  return {
    status: 200,
    body: { recordsIdsAdded: added, recordIdsRemoved: removed, recordIdsMissing: missing },
  };
}

/** GET /crm/v3/lists/{listId}/memberships. */
export function memberships(store: HubspotStore, listId: string): EmulatorResponse {
  const list = store.lists.get(listId);
  if (!list) return errorAnswer(404, 'OBJECT_NOT_FOUND', `List ${listId} does not exist.`);
  return {
    status: 200,
    body: { results: [...list.members].map((recordId) => ({ recordId })), total: list.members.size },
  };
}
