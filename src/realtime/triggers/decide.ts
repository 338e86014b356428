/**
 * What happens to each matched (trigger, event, person): skipped as already recorded (a replay),
 * capped (`once_per`), quiet (quiet hours, `action: skip`), pending (to send now, or at the end of
 * quiet hours with `action: delay`), or failed (the template does not render for this firing).
 * Pure: the caller supplies what is already recorded, the last firings, and `now`.
 */

import type { Candidate } from './match.js';
import { quietUntil, quietZone } from './quiet-hours.js';
import type { RenderedMessage } from './render.js';
import { renderContext, renderMessage } from './render.js';
import type { TriggerRunRow } from './runs-table.js';

/** A decision: the row to record and, for pending firings, the message to send. */
export interface Decision {
  row: TriggerRunRow;
  message?: RenderedMessage;
}

/** The cache key of a person's last firing of a trigger. */
export const capKey = (trigger: string, person: string) => `${trigger}\u0000${person}`;

/** Inputs besides the candidates. */
export interface DecideState {
  /** Firing ids already in trigger_runs (or decided earlier by this process). */
  recorded: Pick<ReadonlySet<string>, 'has'>;
  /** capKey → last counted firing; updated with the firings decided here. */
  lastFired: Pick<Map<string, Date>, 'get' | 'set'>;
  /** Whether the trigger's connection is Slack (values escaped for its markup). */
  slack: (trigger: string) => boolean;
}

/** Decides every candidate in order (an earlier firing in the batch caps a later one). */
export function decide(candidates: Candidate[], state: DecideState, now: Date): Decision[] {
  const decisions: Decision[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const { trigger, event, person, firingId } = candidate;
    if (state.recorded.has(firingId) || seen.has(firingId)) continue;
    seen.add(firingId);
    const row: TriggerRunRow = {
      firing_id: firingId,
      trigger_name: trigger.name,
      message_id: event.messageId,
      event_type: event.type,
      event_name: event.event ?? event.name ?? null,
      source: event.source,
      person_key: person.personKey,
      profile_id: person.profile?.profileId ?? null,
      connection: trigger.send.connection,
      status: 'pending',
      reason: null,
      event_at: validDate(event.receivedAt) ?? now,
      fired_at: now,
      next_attempt_at: null,
      delivered_at: null,
      attempts: 0,
      payload: null,
      updated_at: now,
    };
    const key = capKey(trigger.name, person.personKey);
    const last = state.lastFired.get(key);
    if (trigger.once_per !== undefined && last && now.getTime() - last.getTime() < trigger.once_per) {
      row.status = 'capped';
      row.reason = `fired for this person at ${last.toISOString()}, within once_per`;
      decisions.push({ row });
      continue;
    }
    if (trigger.quiet_hours) {
      const zone = quietZone(trigger.quiet_hours, person.profile);
      const until = quietUntil(trigger.quiet_hours, zone, now);
      if (until && trigger.quiet_hours.action === 'skip') {
        row.status = 'quiet';
        row.reason = `quiet hours ${trigger.quiet_hours.start}-${trigger.quiet_hours.end} ${zone}`;
        decisions.push({ row });
        continue;
      }
      if (until) {
        row.next_attempt_at = until;
        row.reason = `delayed by quiet hours ${trigger.quiet_hours.start}-${trigger.quiet_hours.end} ${zone}`;
      }
    }
    state.lastFired.set(key, now);
    let message: RenderedMessage;
    try {
      const context = renderContext(trigger.name, firingId, event, person.profile);
      message = renderMessage(trigger.send, context, state.slack(trigger.name));
    } catch (error) {
      row.status = 'failed';
      row.reason = `the template failed: ${(error as Error).message.split('\n')[0]}`;
      decisions.push({ row });
      continue;
    }
    row.payload = JSON.stringify(message);
    decisions.push({ row, message });
  }
  return decisions;
}

function validDate(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
