/**
 * Marketers' audience pages: the list with sizes, an audience's YAML and value, what the builder
 * can offer (traits, event sources and their columns, audiences, operators), a draft's live size
 * (the same SQL `weft build` creates the view from, counted), and Save: the YAML diff first, then
 * the file written only if the project still loads (the checks `weft validate` runs) and compiles.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CompiledAudience, compileEach } from '../../audiences/compile.js';
import { listAudiences } from '../../audiences/inspect/list.js';
import { readAudienceSizes } from '../../audiences/size-history.js';
import { relationColumns } from '../../build/relations.js';
import { compileProject } from '../../compiler/compile.js';
import { CompileError } from '../../compiler/errors.js';
import { formatIssue, loadProject } from '../../config/project.js';
import { audienceFileSchema, conditionOps } from '../../config/schemas/audience.js';
import type { AudienceConfig, Project } from '../../config/types.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { sourceRelation } from '../../sync/resolve.js';
import { getEngine } from '../../warehouse/registry.js';
import type { Dialect, Warehouse } from '../../warehouse/types.js';
import { ConsoleError } from './context.js';
import { audienceYaml, type DiffLine, lineDiff } from './yaml-edit.js';

/** The list page: every audience with its size at the last build and its size per build (oldest first). */
export async function audienceList(project: Project, warehouse: Warehouse): Promise<unknown> {
  const sizes = await readAudienceSizes(warehouse, project);
  const listed = await listAudiences(warehouse, project);
  return jsonValue(listed.map((a) => ({ ...a, trend: sizes.get(a.name) ?? [] })));
}

/** One audience file: its text and value. */
export function audienceFile(
  project: Project,
  name: string,
): { name: string; path: string; yaml: string; value: unknown } {
  const found = project.audiences.find((a) => a.value.name === name);
  if (!found) throw new ConsoleError(404, `no audience named '${name}'`);
  const file = path.resolve(project.dir, found.path);
  return {
    name,
    path: path.relative(project.dir, file),
    yaml: readFileSync(file, 'utf8'),
    value: found.value,
  };
}

/** What the builder offers. */
export async function builderVocabulary(project: Project, warehouse: Warehouse): Promise<unknown> {
  const events = [];
  for (const source of project.identity?.sources ?? []) {
    let columns: string[] = [];
    try {
      columns = (await relationColumns(warehouse, sourceRelation(project, source.from))).map((c) => c.name);
    } catch {
      columns = [];
    }
    events.push({ from: source.from, timestamp: source.timestamp ?? null, columns });
  }
  return {
    traits: Object.keys(project.profiles?.traits ?? {}),
    events,
    audiences: project.audiences.map((a) => a.value.name),
    ops: conditionOps,
  };
}

/** A draft checked against the audience schema (the UI sends what the builder holds). */
export function parseDraft(draft: unknown): AudienceConfig {
  const parsed = audienceFileSchema.safeParse(draft);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(audience)'}: ${i.message}`);
    throw new ConsoleError(400, problems.join('\n'));
  }
  return parsed.data;
}

/** The draft's members now: its size and, when split, each arm's. */
export async function draftSize(
  project: Project,
  warehouse: Warehouse,
  draft: unknown,
): Promise<{ size: number; arms: Array<{ arm: string; size: number }>; sql: string }> {
  const audience = parseDraft(draft);
  const { sql } = compileDraft(project, warehouse.dialect, audience);
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM (${sql}) AS weft_draft`);
  const arms = audience.splits
    ? await warehouse.query(
        `SELECT split AS arm, count(*) AS n FROM (${sql}) AS weft_draft GROUP BY split ORDER BY split`,
      )
    : [];
  return {
    size: Number(row?.n ?? 0),
    arms: arms.map((a) => ({ arm: String(a.arm), size: Number(a.n) })),
    sql,
  };
}

/** The draft compiled as `weft build` would compile it among the project's other audiences (400 when it does not). */
export function compileDraft(project: Project, dialect: Dialect, audience: AudienceConfig): CompiledAudience {
  const filePath = targetPath(project, audience.name);
  const others = project.audiences.filter((a) => a.value.name !== audience.name);
  const withDraft: Project = { ...project, audiences: [...others, { path: filePath, value: audience }] };
  const entry = compileEach(withDraft, dialect).find((e) => e.name === audience.name);
  if (!entry?.compiled) throw new ConsoleError(400, entry?.error?.message ?? 'the audience does not compile');
  return entry.compiled;
}

/** The file a draft is saved to: the existing audience's file, else models/audiences/<name>.yml. */
function targetPath(project: Project, name: string): string {
  const existing = project.audiences.find((a) => a.value.name === name);
  return existing
    ? path.relative(project.dir, path.resolve(project.dir, existing.path))
    : `models/audiences/${name}.yml`;
}

/** What Save would write: the file, its new text and the diff from its current text. */
export function draftDiff(
  project: Project,
  draft: unknown,
): { path: string; yaml: string; diff: DiffLine[]; created: boolean } {
  const audience = parseDraft(draft);
  const relative = targetPath(project, audience.name);
  const file = path.join(project.dir, relative);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const yaml = audienceYaml(draft as Record<string, unknown>, before);
  return { path: relative, yaml, diff: lineDiff(before ?? '', yaml), created: before === undefined };
}

/**
 * Writes the draft's file, then loads and compiles the project as `weft validate` does; on any
 * problem the file is put back as it was and the problems are the answer (400).
 */
export async function saveDraft(
  project: Project,
  draft: unknown,
): Promise<{ path: string; yaml: string; created: boolean }> {
  const { path: relative, yaml, created } = draftDiff(project, draft);
  const file = path.join(project.dir, relative);
  const before = created ? undefined : readFileSync(file, 'utf8');
  writeFileSync(file, yaml);
  const problems = await projectProblems(project.dir);
  if (problems.length > 0) {
    if (before === undefined) rmSync(file, { force: true });
    else writeFileSync(file, before);
    throw new ConsoleError(400, `not saved: ${problems.join('\n')}`);
  }
  return { path: relative, yaml, created };
}

/** The problems `weft validate` would list for the project in `dir`. */
async function projectProblems(dir: string): Promise<string[]> {
  const { project, issues } = await loadProject(dir);
  const problems = issues.map((i) => formatIssue(i));
  if (project) {
    try {
      compileProject(project, getEngine(project.config.warehouse.type).dialect);
      const failed = compileEach(project, getEngine(project.config.warehouse.type).dialect).filter(
        (e) => e.error,
      );
      problems.push(...failed.map((e) => `${e.path}: ${e.error?.message}`));
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      problems.push(...error.issues.map((i) => formatIssue(i)));
    }
  }
  return problems;
}
