/** Writes a JSON Schema per YAML file kind, so editors can validate and autocomplete. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { fileKinds } from './schemas/index.js';

/** The JSON Schema of one file kind (the input side: defaults make keys optional). */
export function jsonSchemaFor(schema: z.ZodType, title: string): Record<string, unknown> {
  // `unrepresentable: 'any'`: transforms (e.g. unique_key → list) have no JSON form; their
  // input side is what the YAML holds, which is what `io: 'input'` describes.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...json, title: `weft ${title}` };
}

/** Writes `<kind>.schema.json` files into `outDir`; returns the written paths. */
export async function writeJsonSchemas(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const kind of fileKinds) {
    const path = join(outDir, kind.jsonSchemaFile);
    await writeFile(path, `${JSON.stringify(jsonSchemaFor(kind.schema, kind.title), null, 2)}\n`);
    written.push(path);
  }
  return written;
}
