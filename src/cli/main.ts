#!/usr/bin/env node
/** The `weft` executable. */
import { run } from './program.js';

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
