/** The `weft` program: parses arguments, dispatches to one file per command, maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import { CompileError, formatIssue as formatCompileIssue } from '../compiler/errors.js';
import { formatIssue } from '../config/issues.js';
import { WEFT_VERSION } from '../version.js';
import { registerAudience } from './audience.js';
import { registerBuild } from './build.js';
import { registerCompile } from './compile.js';
import { registerDbt } from './dbt.js';
import { ProjectProblems, ReportedFailure, UsageError } from './errors.js';
import { registerEvents } from './events.js';
import { registerIdentity } from './identity.js';
import { registerInit } from './init.js';
import { registerLoad } from './load.js';
import { stderrIsForPeople, written } from './output.js';
import { registerPlan } from './plan.js';
import { registerPrivacy } from './privacy.js';
import { registerProfile } from './profile.js';
import { registerRuns } from './runs.js';
import { registerSandbox } from './sandbox.js';
import { registerSchedule } from './schedule.js';
import { registerSchema } from './schema.js';
import { registerSeed } from './seed.js';
import { registerServe } from './serve.js';
import { registerSync } from './sync.js';
import { registerTrigger } from './trigger.js';
import { registerValidate } from './validate.js';

function createProgram(json: boolean, helpOut: string[]): Command {
  const program = new Command('weft')
    .description(
      'weft: a warehouse-native customer data platform. Models, identity, audiences and syncs in git.',
    )
    .version(WEFT_VERSION, '-v, --version')
    .option('--project <dir>', 'project directory (default: the current directory)')
    .option('--json', 'machine output: one JSON object per line on stdout, nothing else')
    .showHelpAfterError('(run with --help for usage)')
    // Commander's own "error: …" lines are human text too: with --json they reach stderr only on
    // a terminal (the failure still answers as a JSON error object on stdout).
    .configureOutput({
      // With --json, help and version text are kept and answered as one JSON object by `run`.
      writeOut: (text) => {
        if (json) helpOut.push(text);
        else process.stdout.write(text);
      },
      writeErr: (text) => {
        if (stderrIsForPeople(json)) process.stderr.write(text);
      },
    })
    .exitOverride();
  registerInit(program);
  registerValidate(program);
  registerCompile(program);
  registerSeed(program);
  registerLoad(program);
  registerBuild(program);
  registerPlan(program);
  registerSync(program);
  registerSchedule(program);
  registerRuns(program);
  registerProfile(program);
  registerPrivacy(program);
  registerAudience(program);
  registerIdentity(program);
  registerSchema(program);
  registerSandbox(program);
  registerDbt(program);
  registerServe(program);
  registerEvents(program);
  registerTrigger(program);
  program.addHelpText(
    'after',
    `
Start here:
  weft init my_project && cd my_project
  weft validate && weft build

Docs: README.md, and "weft <command> --help" for each command.`,
  );
  return program;
}

/** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 bad usage or config). */
export async function run(argv: string[]): Promise<number> {
  // With --json, a failure answers on stdout as one JSON object, so scripts reading stdout always
  // get a parseable line ({"error": {"message", "exit"}}); human text goes to stderr only when it
  // is a terminal (see output.ts).
  const json = argv.includes('--json');
  const say = (text: string) => {
    if (stderrIsForPeople(json)) process.stderr.write(text);
  };
  const fail = (exit: number, message: string, extra: Record<string, unknown> = {}): number => {
    if (json) process.stdout.write(`${JSON.stringify({ error: { message, exit, ...extra } })}\n`);
    return exit;
  };
  const helpOut: string[] = [];
  try {
    await createProgram(json, helpOut).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ProjectProblems && written.results === 0) {
      // Each problem as validate --json shows it: file, line, column, path, message.
      const [first] = error.issues;
      const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
      return fail(2, `the project has problems: ${first ? formatIssue(first) : 'unknown'}${more}`, {
        problems: error.issues,
      });
    }
    if (error instanceof ReportedFailure) {
      // The command said why in its problem lines; a --json caller that got no JSON result gets
      // them as one JSON object.
      if (written.results > 0) return error.exitCode;
      const [message = `weft failed (exit ${error.exitCode})`, ...more] = written.errors;
      return fail(error.exitCode, message, more.length > 0 ? { problems: more } : {});
    }
    if (error instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      if (ok && json) {
        const text = helpOut.join('');
        const answer = error.code === 'commander.version' ? { version: text.trim() } : { help: text };
        process.stdout.write(`${JSON.stringify(answer)}\n`);
      }
      return ok ? 0 : fail(2, error.message.replace(/^error: /, ''));
    }
    if (error instanceof CompileError) {
      say(`✗ ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} in the models:\n`);
      for (const line of error.message.split('\n')) say(`  ${line}\n`);
      const [first] = error.issues;
      const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
      return fail(
        2,
        `the models have problems: ${first ? formatCompileIssue(first) : error.message}${more}`,
        {
          problems: error.issues,
        },
      );
    }
    if (error instanceof UsageError) {
      say(`error: ${error.message}\n`);
      return fail(2, error.message);
    }
    const message = error instanceof Error ? error.message : String(error);
    say(`✗ ${message}\n`);
    // WEFT_DEBUG asks for the stack: in the JSON error object with --json, else on stderr.
    const stack = process.env.WEFT_DEBUG && error instanceof Error ? error.stack : undefined;
    if (stack && !json) process.stderr.write(`${stack}\n`);
    return fail(1, message, stack ? { stack } : {});
  }
}
