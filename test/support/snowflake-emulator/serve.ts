/**
 * Runs the Snowflake emulator on its own and prints a `snowflake://` URL for it, so any test or
 * weft command can use it: `npx vite-node test/support/snowflake-emulator/serve.ts`, then
 * `WEFT_TEST_SNOWFLAKE_URL=<printed URL> npx vitest run test/warehouse/dialects.test.ts`.
 * The URL holds a throwaway password made up at start; stop with Ctrl-C.
 */
import { startSnowflakeEmulator } from './index.js';

const emulator = await startSnowflakeEmulator();
const user = emulator.users.password;
const url =
  `snowflake://${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@${emulator.account}/WEFT` +
  `?warehouse=EMULATOR_WH&access_url=${encodeURIComponent(emulator.url)}`;
process.stdout.write(`${url}\n`);
const stop = () => {
  emulator.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
