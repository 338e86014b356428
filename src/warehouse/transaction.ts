/** The one way engines run a body in a transaction on their serialized session connection. */

/**
 * `begin`, then `body`, then COMMIT; on any error ROLLBACK (its own failure ignored: the body's
 * error is the one to report) and rethrow.
 */
export async function runInTransaction<T>(
  execute: (sql: string) => Promise<void>,
  body: () => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  await execute(begin);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    await execute('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await execute('COMMIT');
  return result;
}
