/** `weft validate`'s check of syncs' `where:` filters against the warehouse, when it can be read. */
import { readProjectYaml } from '../../config/column-check.js';
import type { ConfigIssue } from '../../config/issues.js';
import type { Project } from '../../config/types.js';
import { issueAt } from '../../config/yaml.js';
import type { Warehouse } from '../../warehouse/types.js';
import { checkWhere } from '../planner/where.js';
import { resolveSync } from '../resolve.js';
import type { ColumnsOf } from './columns.js';

/** Every `where:` the warehouse refuses over its sync's source (sources not built yet are skipped). */
export async function checkWhereFilters(
  project: Project,
  warehouse: Warehouse,
  columnsOf: ColumnsOf,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const sync of project.syncs) {
    if (sync.value.where === undefined) continue;
    const columns = await columnsOf(sync.value.from);
    if (!columns) continue;
    try {
      await checkWhere(warehouse, resolveSync(project, sync.value), columns);
    } catch (error) {
      const yaml = await readProjectYaml(project, sync.path);
      if (!yaml) continue;
      const message = (error instanceof Error ? error.message : String(error)).replace(
        /^sync '[^']*': where: /,
        '',
      );
      issues.push(issueAt(yaml, ['where'], message));
    }
  }
  return issues;
}
