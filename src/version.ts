/** weft's version, read once from package.json. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = (() => {
  // dist/src/version.js and src/version.ts both sit two levels below the package root or one.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return require(rel) as { version: string };
    } catch {}
  }
  return { version: '0.0.0' };
})();

export const WEFT_VERSION: string = pkg.version;
