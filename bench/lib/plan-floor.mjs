// The floor of `weft plan`, as its own process (start-up included, like `weft plan`): open the
// DuckDB file, run one diff statement, close. Usage: node plan-floor.mjs DB_FILE SQL [MEMORY_LIMIT]
import { DuckDBInstance } from '@duckdb/node-api';

const [file, sql, memoryLimit] = process.argv.slice(2);
const instance = await DuckDBInstance.create(file);
const connection = await instance.connect();
if (memoryLimit) await connection.run(`SET memory_limit = '${memoryLimit}'`);
await connection.run(sql);
connection.closeSync();
instance.closeSync();
