/**
 * Opens the serving store weft.yml names: `serve.store` is `embedded` (the default: an LMDB file
 * under the project's target/serving/) or a `redis://` / `rediss://` URL (from the environment:
 * `store: "{{env 'WEFT_REDIS_URL'}}"`), keys under `serve.store_prefix` (default `weft:<name>`).
 */
import path from 'node:path';
import type { Project } from '../../config/types.js';
import { idTypesOf } from '../../identity/id-types.js';
import { normalizeValue } from '../normalize.js';
import { openEmbeddedStore } from './embedded.js';
import { openRedisStore } from './redis.js';
import type { IdentifierNormalizer, ServingStore } from './types.js';

/** Where the embedded store lives in a project. */
export function embeddedStoreDir(project: Project): string {
  return path.join(project.dir, 'target', 'serving');
}

/** Normalization by the project's identity.yml id types (unknown types match nothing). */
export function projectNormalizer(project: Project): IdentifierNormalizer {
  const types = new Map((project.identity ? idTypesOf(project.identity) : []).map((t) => [t.name, t]));
  return (type, value) => {
    const idType = types.get(type);
    return idType ? normalizeValue(idType, value) : null;
  };
}

/** Opens the project's serving store. */
export function openServingStore(project: Project): ServingStore {
  const where = project.config.serve?.store ?? 'embedded';
  const normalize = projectNormalizer(project);
  if (where === 'embedded') return openEmbeddedStore(embeddedStoreDir(project), normalize);
  if (/^rediss?:\/\//.test(where))
    return openRedisStore(
      where,
      project.config.serve?.store_prefix ?? `weft:${project.config.name}`,
      normalize,
    );
  throw new Error(`serve.store must be 'embedded' or a redis:// URL, not '${where}'`);
}
