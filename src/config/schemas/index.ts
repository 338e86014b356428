/** Every config file kind and its schema (also the list the JSON Schemas are written from). */
import type { z } from 'zod';
import { audienceFileSchema } from './audience.js';
import { identityFileSchema } from './identity.js';
import { modelConfigFileSchema } from './model-config.js';
import { profilesFileSchema } from './profiles.js';
import { sourcesFileSchema } from './sources.js';
import { syncFileSchema } from './sync.js';
import { triggerFileSchema } from './trigger.js';
import { weftFileSchema } from './weft.js';

/** A YAML file kind: its JSON Schema file name, title and zod schema. */
export interface FileKind {
  jsonSchemaFile: string;
  title: string;
  schema: z.ZodType;
}

/** All YAML file kinds of a weft project. */
export const fileKinds: FileKind[] = [
  { jsonSchemaFile: 'weft.schema.json', title: 'weft.yml', schema: weftFileSchema },
  { jsonSchemaFile: 'sources.schema.json', title: 'models/sources.yml', schema: sourcesFileSchema },
  {
    jsonSchemaFile: 'model-config.schema.json',
    title: 'model sidecar (models/**/<model>.yml)',
    schema: modelConfigFileSchema,
  },
  { jsonSchemaFile: 'identity.schema.json', title: 'models/identity.yml', schema: identityFileSchema },
  { jsonSchemaFile: 'profiles.schema.json', title: 'models/profiles.yml', schema: profilesFileSchema },
  { jsonSchemaFile: 'audience.schema.json', title: 'models/audiences/*.yml', schema: audienceFileSchema },
  { jsonSchemaFile: 'sync.schema.json', title: 'syncs/*.yml', schema: syncFileSchema },
  { jsonSchemaFile: 'trigger.schema.json', title: 'models/triggers/*.yml', schema: triggerFileSchema },
];

export * from './audience.js';
export * from './identity.js';
export * from './model-config.js';
export * from './privacy.js';
export * from './profiles.js';
export * from './sources.js';
export * from './sync.js';
export * from './trigger.js';
export * from './weft.js';
