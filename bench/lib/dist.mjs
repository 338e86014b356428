// Where the benches import weft from: the compiled dist/ (they measure what users run).
import fs from 'node:fs';

/** The URL of a compiled module, e.g. dist('src/sync/run-sync.js'). */
export const dist = (p) => new URL(`../../dist/${p}`, import.meta.url).href;

/** Throws unless `npm run build` produced `probe` (a path under dist/). */
export function requireBuild(probe) {
  if (!fs.existsSync(new URL(dist(probe)))) throw new Error('dist/ is missing: run `npm run build`');
}
