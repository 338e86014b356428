/** `weft trigger test NAME --event FILE`: what a trigger would send for an event, without sending. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { CollectedEvent } from '../events/types.js';
import { type DryRun, dryRunTrigger } from '../realtime/triggers/dry-run.js';
import { checkLines } from '../realtime/triggers/explain.js';
import { warehouseProfileReader } from '../realtime/triggers/warehouse-reader.js';
import type { ProfileReader, ServedProfile } from '../realtime/types.js';
import { didYouMean } from '../util/suggest.js';
import { type GlobalOptions, withContext } from './context.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';

interface TestOptions extends GlobalOptions {
  event: string;
  profile?: string;
  profileFile?: string;
  at?: string;
}

export function registerTrigger(program: Command): void {
  const trigger = program.command('trigger').description('work with triggers (models/triggers/*.yml)');
  trigger
    .command('test')
    .description('show whether a trigger fires for an event and the message it would send, without sending')
    .argument('<name>', 'the trigger (its file name in models/triggers/, without .yml)')
    .requiredOption(
      '--event <file>',
      'a JSON file holding the event (a Segment call, as `weft events tail --json` prints it)',
    )
    .option(
      '--profile <id>',
      'the person: type:value (email:ann@x.com) or a profile id, from the last `weft build`',
    )
    .option('--profile-file <file>', 'the person as JSON: {"profileId", "traits": {…}, "audiences": […]}')
    .option('--at <instant>', 'evaluate at this ISO instant (quiet hours, relative dates); default: now')
    .addHelpText(
      'after',
      `
Checks each part of the trigger's on: against the event and its where: against the person,
applies quiet hours, and renders the message. Nothing is sent and nothing is recorded; frequency
caps (once_per) and dedupe depend on trigger_runs and are applied only by \`weft serve\`.

The person is --profile-file, else --profile, else looked up from the event's userId,
anonymousId, traits.email, traits.phone or context.device.id in the last build's identity_map.
An unknown person is an empty profile (no traits, no audiences).

Missing event fields are filled in: messageId "trigger-test", timestamp and receivedAt = --at,
type "track" when the event has an "event" name, source "test" (set "source" to test a trigger
that requires one, e.g. "mqtt").

Examples:
  weft trigger test vip_pricing --event events/pricing-view.json --profile email:ada@example.org
  weft trigger test meter_fault --event fault.json --profile-file cy.json --json
  weft trigger test vip_pricing --event view.json --at 2026-03-02T23:30:00+01:00`,
    )
    .action(async (name: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<TestOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const triggers = project.triggers ?? [];
        const found = triggers.find((t) => t.value.name === name)?.value;
        if (!found) {
          const names = triggers.map((t) => t.value.name);
          throw new UsageError(
            `unknown trigger '${name}'${didYouMean(name, names)} (models/triggers/: ${names.join(', ') || 'none'})`,
          );
        }
        const now = opts.at ? parseInstant(opts.at) : new Date();
        const event = await readEvent(path.resolve(opts.event), now);
        const profile = opts.profileFile ? await readProfile(path.resolve(opts.profileFile)) : undefined;
        let reader: ProfileReader = {
          byIdentifier: async () => undefined,
          byProfileId: async () => undefined,
        };
        let chosen = profile;
        if (!profile && (opts.profile || project.identity)) {
          const fromWarehouse = warehouseProfileReader(project, await warehouse());
          reader = fromWarehouse;
          if (opts.profile) {
            chosen = await fromWarehouse.byText(opts.profile);
            if (!chosen)
              throw new UsageError(
                `no profile found for ${opts.profile} (see \`weft profile ${opts.profile}\`)`,
              );
          }
        }
        const result = await dryRunTrigger(project, found, event, {
          reader: tolerant(reader, out),
          now,
          ...(chosen && { profile: chosen }),
        });
        print(out, result);
      });
    });
}

/** A lookup that fails (no build yet) counts as an unknown person, with a note. */
function tolerant(reader: ProfileReader, out: Output): ProfileReader {
  let warned = false;
  const guard = async <T>(lookup: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await lookup();
    } catch (error) {
      if (!warned)
        out.warn(`! profile lookup failed, treating the person as unknown: ${(error as Error).message}`);
      warned = true;
      return undefined;
    }
  };
  return {
    byIdentifier: (type, value) => guard(() => reader.byIdentifier(type, value)),
    byProfileId: (id) => guard(() => reader.byProfileId(id)),
  };
}

function parseInstant(text: string): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--at: '${text}' is not an ISO instant (e.g. 2026-03-02T23:30:00Z)`);
  return at;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
}

async function readEvent(file: string, now: Date): Promise<CollectedEvent> {
  const value = await readJson(file, 'event');
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(
      `${file}: expected one event object, e.g. {"type":"track","event":"Signed Up","userId":"u1"}`,
    );
  const raw = value as Partial<CollectedEvent>;
  const type = raw.type ?? (raw.event !== undefined ? 'track' : undefined);
  if (!type)
    throw new UsageError(`${file}: the event needs a "type" (track, page, identify, …) or an "event" name`);
  const iso = now.toISOString();
  return {
    ...raw,
    type,
    messageId: raw.messageId ?? 'trigger-test',
    source: raw.source ?? 'test',
    timestamp: raw.timestamp ?? iso,
    receivedAt: raw.receivedAt ?? iso,
  } as CollectedEvent;
}

async function readProfile(file: string): Promise<ServedProfile> {
  const value = (await readJson(file, 'profile')) as Partial<ServedProfile> | null;
  if (value === null || typeof value !== 'object')
    throw new UsageError(`${file}: expected {"profileId": "…", "traits": {…}, "audiences": […]}`);
  return {
    profileId: String(value.profileId ?? 'profile-file'),
    identifiers: Array.isArray(value.identifiers) ? value.identifiers : [],
    traits: value.traits && typeof value.traits === 'object' ? value.traits : {},
    audiences: Array.isArray(value.audiences) ? value.audiences.map(String) : [],
  };
}

function print(out: Output, r: DryRun): void {
  out.info(`trigger ${r.trigger}, event ${r.messageId}`);
  out.info('  on:');
  for (const line of checkLines(r.on, '    ')) out.info(line);
  if (r.person) {
    const who = r.person.profileId
      ? `profile ${r.person.profileId}`
      : `unknown (${r.person.personKey}): an empty profile`;
    out.info(`  person: ${who}`);
  }
  if (r.where) {
    out.info('  where:');
    for (const line of checkLines([r.where], '    ')) out.info(line);
  }
  if (r.quiet)
    out.info(
      `  quiet hours (${r.quiet.zone}) until ${r.quiet.until}: ${r.quiet.action === 'skip' ? 'skipped' : 'sent then'}`,
    );
  out.info(`  send: ${r.connection.name} (${r.connection.type}, ${r.connection.primitive})`);
  if (r.connection.problem) out.info(`    ! cannot send from here: ${r.connection.problem}`);
  if (r.renderError) out.info(`  ✗ the message does not render: ${r.renderError}`);
  if (r.message) {
    out.info(`  message (key ${r.message.key}):`);
    for (const [field, value] of Object.entries(r.message.fields))
      out.info(`    ${field}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  out.info(r.wouldFire ? '→ would fire (caps and dedupe aside)' : '→ would not fire');
  out.result({
    trigger: r.trigger,
    message_id: r.messageId,
    would_fire: r.wouldFire,
    on: r.on,
    person: r.person ? { profile_id: r.person.profileId, person_key: r.person.personKey } : null,
    where: r.where ?? null,
    quiet: r.quiet ?? null,
    connection: r.connection,
    message: r.message ?? null,
    render_error: r.renderError ?? null,
  });
}
