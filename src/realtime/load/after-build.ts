/**
 * The serving-store load at the end of `weft build`: when weft.yml has a `serve:` block and the
 * project has identity.yml, and the build's identity and profiles stages did not fail (the store
 * then keeps serving its previous load). A failed audience keeps its previous members in
 * `audience_members`, so it does not hold the load back.
 */
import type { BuildResult } from '../../build/types.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { openServingStore } from '../store/open.js';
import { loadServingStore, type StoreLoadResult } from './loader.js';

/** What happened to the serving store after a build. */
export type AfterBuildLoad =
  | ({ status: 'loaded'; store: string } & StoreLoadResult)
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; store: string; error: string };

/** Loads the project's serving store after `result`, or says why not. */
export async function loadAfterBuild(
  project: Project,
  warehouse: Warehouse,
  result: BuildResult,
): Promise<AfterBuildLoad | undefined> {
  if (!project.config.serve || !project.identity) return undefined;
  const failed = (['identity', 'profiles'] as const).filter((s) => result[s]?.status === 'error');
  if (failed.length > 0)
    return {
      status: 'skipped',
      reason: `the ${failed.join(', ')} stage failed: the store keeps its last load`,
    };
  const store = openServingStore(project);
  try {
    return {
      status: 'loaded',
      store: store.description,
      ...(await loadServingStore(project, warehouse, store)),
    };
  } catch (error) {
    return { status: 'failed', store: store.description, error: (error as Error).message };
  } finally {
    await store.close();
  }
}
