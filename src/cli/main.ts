#!/usr/bin/env node
/** The `weft` executable. */
import { stderrIsForPeople } from './output.js';
import { run } from './program.js';

// `weft runs | head`: a closed pipe ends output quietly, as Unix tools do, not with a trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Node's own warnings (deprecations, listener leaks) are human text too: with --json and stderr
// not a terminal they come as {"warning"} lines on stdout, like weft's.
const argv = process.argv.slice(2);
if (!stderrIsForPeople(argv.includes('--json'))) {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    process.stdout.write(`${JSON.stringify({ warning: `${warning.name}: ${warning.message}` })}\n`);
  });
}

run(argv).then((code) => {
  process.exitCode = code;
});
