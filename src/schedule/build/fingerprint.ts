/**
 * Fingerprints of build nodes: equal fingerprints mean "nothing to rebuild".
 * - a source table: its row count and an order-independent sum of per-row hashes, computed in
 *   the warehouse (a metadata query for its columns, then one aggregate query);
 * - a model: its compiled SQL and materialization plus its inputs' fingerprints;
 * - a stage: its config file's content, the project schema and its inputs' fingerprints.
 */
import { createHash } from 'node:crypto';
import type { CompiledProject } from '../../compiler/compile.js';
import type { Project } from '../../config/types.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import { type BuildGraph, inputsFirst } from './graph.js';

/** Two salted 31-bit sums of row-hash buckets: ~62 bits of order-independent fingerprint. */
const BUCKETS = 2_147_483_647;

/** The fingerprint of each of `ids` (inputs are fingerprinted along the way). */
export async function fingerprintNodes(
  graph: BuildGraph,
  ids: Set<string>,
  context: { project: Project; compiled: CompiledProject; warehouse: Warehouse },
): Promise<Map<string, string>> {
  const prints = new Map<string, string>();
  const models = new Map(context.compiled.models.map((m) => [m.name, m]));
  const sources = new Map(context.compiled.sources.map((s) => [s.name, s.relation]));
  for (const id of inputsFirst(graph, ids)) {
    const node = graph.get(id)!;
    const inputs = node.inputs.map((input) => [input, prints.get(input)]);
    if (node.kind === 'source') {
      const relation = sources.get(node.name) ?? fallbackRelation(node.name);
      prints.set(id, await sourceFingerprint(context.warehouse, relation));
    } else if (node.kind === 'model') {
      const model = models.get(node.name)!;
      const definition = [model.materialized, model.unique_key ?? [], model.relation, model.sql];
      prints.set(id, digest([definition, inputs]));
    } else {
      prints.set(id, digest([stageDefinition(context.project, node.name), inputs]));
    }
  }
  return prints;
}

/** Row count + order-independent hash sums of a table; `missing` when it does not exist. */
export async function sourceFingerprint(warehouse: Warehouse, relation: RelationRef): Promise<string> {
  const d = warehouse.dialect;
  const columns = await warehouse.query<{ name: string }>(d.columnsQuery(relation));
  if (columns.length === 0) return 'missing';
  const row = d.rowHash(columns.map((c) => d.quoteIdent(String(c.name))));
  const sum = (salt: string) =>
    d.cast(`coalesce(sum(${d.hashBucket(`${row} || ${d.literal(salt)}`, BUCKETS)}), 0)`, 'string');
  const [result] = await warehouse.query(
    `SELECT ${d.cast('count(*)', 'string')} AS row_count, ${sum('a')} AS sum_a, ${sum('b')} AS sum_b FROM ${d.qualify(relation)}`,
  );
  const names = columns.map((c) => String(c.name)).join(',');
  return digest([names, result?.row_count, result?.sum_a, result?.sum_b]);
}

/** What a stage is built from, besides its inputs. */
function stageDefinition(project: Project, stage: string): unknown {
  const schema = project.config.schema;
  if (stage === 'identity') return [schema, project.identity];
  if (stage === 'profiles') return [schema, project.profiles];
  // Audiences compare relative dates with `as_of` when set (else the clock: their views stay live).
  const asOf = process.env.WEFT_AS_OF || (project.config as { as_of?: string }).as_of || null;
  return [schema, asOf, project.audiences.map((a) => a.value)];
}

/** A source table read without being declared: `schema.table` as written. */
function fallbackRelation(name: string): RelationRef {
  const [schema = '', table = ''] = name.split('.');
  return { schema, name: table };
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
