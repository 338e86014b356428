#!/usr/bin/env node
/** The `weft` executable. */
import { run } from './program.js';

// `weft runs | head`: a closed pipe ends output quietly, as Unix tools do, not with a trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
