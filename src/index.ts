/** weft's public API, for programs that embed it. */
export type * from './config/types.js';
export type * from './warehouse/types.js';
export { WarehouseError } from './warehouse/types.js';
