/**
 * What a trigger would do with one event, without sending or recording anything (`weft trigger
 * test`): the `on:` and `where:` verdicts, the person, quiet hours, and the rendered message.
 * Frequency caps and dedupe need trigger_runs and are the running engine's: not applied here.
 */
import type { Project, TriggerConfig } from '../../config/types.js';
import type { CollectedEvent } from '../../events/types.js';
import { AccountBudgets } from '../../sync/budget/index.js';
import { DEFAULT_RETRY } from '../../sync/runner/backoff.js';
import type { ProfileReader, ServedProfile } from '../types.js';
import { openTriggerConnection } from './connection.js';
import { type Check, explainOn, explainWhere } from './explain.js';
import { DEFAULT_ID_TYPES, type EventPerson, findPerson } from './lookup.js';
import { firingIdOf } from './match.js';
import { profileFacts } from './profile-condition.js';
import { quietUntil, quietZone } from './quiet-hours.js';
import { type RenderedMessage, renderContext, renderMessage } from './render.js';

/** The verdict of a dry run. */
export interface DryRun {
  trigger: string;
  messageId: string;
  on: Check[];
  /** Absent when `on:` did not match (the person is not looked up then). */
  person?: { profileId: string | null; personKey: string };
  where?: Check;
  /** Inside quiet hours: what would happen and until when. */
  quiet?: { zone: string; until: string; action: 'skip' | 'delay' };
  wouldFire: boolean;
  /** `problem`: why the engine could not send through it in this environment. */
  connection: { name: string; type: string; primitive: string; problem?: string };
  message?: RenderedMessage;
  /** Why the message cannot be rendered for this event. */
  renderError?: string;
}

/** Dry-runs `trigger` on `event` at `now`. `profile`, when given, is the person (no lookup). */
export async function dryRunTrigger(
  project: Project,
  trigger: TriggerConfig,
  event: CollectedEvent,
  options: { reader: ProfileReader; now: Date; profile?: ServedProfile },
): Promise<DryRun> {
  const { now } = options;
  let connection: { type: string; primitive: string; slack: boolean; problem?: string };
  try {
    const opened = openTriggerConnection(project, trigger, {
      budgets: new AccountBudgets(() => now),
      retry: DEFAULT_RETRY,
      priority: 0,
    });
    connection = { type: opened.destination.type, primitive: opened.primitive, slack: opened.slack };
  } catch (error) {
    // Not sending: show the message anyway, and say why the engine could not send it here.
    const type = project.config.connections[trigger.send.connection]?.type ?? 'unknown';
    const primitive = trigger.send.primitive ?? 'insert';
    connection = { type, primitive, slack: type === 'slack', problem: (error as Error).message };
  }
  const result: DryRun = {
    trigger: trigger.name,
    messageId: event.messageId,
    on: explainOn(trigger.on, event, now),
    wouldFire: false,
    connection: {
      name: trigger.send.connection,
      type: connection.type,
      primitive: connection.primitive,
      ...(connection.problem && { problem: connection.problem }),
    },
  };
  if (!trigger.enabled || !result.on.every((c) => c.ok)) return result;
  const person: EventPerson = options.profile
    ? { profile: options.profile, personKey: `profile:${options.profile.profileId}` }
    : await findPerson(options.reader, event, DEFAULT_ID_TYPES);
  result.person = { profileId: person.profile?.profileId ?? null, personKey: person.personKey };
  const facts = profileFacts(person.profile);
  if (trigger.where) result.where = explainWhere(trigger.where, facts, now);
  if (result.where && !result.where.ok) return result;
  if (trigger.quiet_hours) {
    const zone = quietZone(trigger.quiet_hours, person.profile);
    const until = quietUntil(trigger.quiet_hours, zone, now);
    if (until) result.quiet = { zone, until: until.toISOString(), action: trigger.quiet_hours.action };
  }
  try {
    const context = renderContext(
      trigger.name,
      firingIdOf(trigger.name, event.messageId),
      event,
      person.profile,
    );
    result.message = renderMessage(trigger.send, context, connection.slack);
  } catch (error) {
    result.renderError = (error as Error).message.split('\n')[0];
  }
  result.wouldFire = result.message !== undefined && result.quiet?.action !== 'skip';
  return result;
}
