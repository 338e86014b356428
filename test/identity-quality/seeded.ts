/** A seeded DuckDB file with the demo staging models built: the quality tests' fixture. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProject } from '../../src/build/index.js';
import { loadProjectOrThrow } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';
import { seedDemoData } from '../../src/seed/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The demo project seeded with `people` and its staging models built. */
export interface SeededDemo {
  project: Project;
  warehouse: Warehouse;
  dispose(): Promise<void>;
}

export async function seededDemo(
  people: number,
  seed = 42,
  noise: 'standard' | 'messy' = 'standard',
): Promise<SeededDemo> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-quality-'));
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'q.duckdb') },
    { projectDir: dir },
  );
  const project = await loadProjectOrThrow(repoRoot);
  await seedDemoData(warehouse, { people, seed, noise });
  const staging = project.models.filter((m) => m.path.startsWith('models/staging/')).map((m) => m.name);
  const built = await buildProject(project, warehouse, { select: staging.join(',') });
  const failed = built.models.filter((m) => m.status !== 'success');
  if (failed.length > 0)
    throw new Error(`staging failed: ${failed.map((m) => `${m.name}: ${m.error}`).join('; ')}`);
  return {
    project,
    warehouse,
    async dispose() {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
