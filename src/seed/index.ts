/** The demo data generator behind `weft seed`. */
export { createSeedContext, DEFAULT_AS_OF, MAX_PEOPLE, type SeedContext, type SeedNoise } from './context.js';
export {
  allRowPersonRows,
  type PeopleSlice,
  rowPersonRows,
  sourceRows,
  truthPeopleRows,
} from './generate.js';
export { SEEDED_TABLES, SeedWouldReplaceError } from './ownership.js';
export { makePerson, type Person } from './person.js';
export { type SeedOptions, type SeedProgress, type SeedSummary, seedDemoData } from './seed.js';
export { RAW_SCHEMA, type SeedTable, type SourceRow, TRUTH_SCHEMA, tableName } from './table.js';
export { SOURCE_TABLES, TRUTH_PEOPLE, TRUTH_ROW_PERSON } from './tables.js';
