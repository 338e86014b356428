/** `weft load` and file sources: readers, the atomic writer and their contracts. */
export { type DatabaseLoadRequest, loadFromDatabase } from './database/index.js';
export { type FileFormat, type FileLoadRequest, loadFiles } from './files/index.js';
export * from './types.js';
export { existingColumns, LoadError, type WriteOptions, writeRows } from './write.js';
