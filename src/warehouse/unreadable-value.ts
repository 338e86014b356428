/**
 * A warehouse value JavaScript cannot hold without changing it (DuckDB's DATE 'infinity', a
 * year-294246 TIMESTAMP): read as this marker instead of failing the whole result, so one bad
 * value never blocks the other rows. A sync rejects the row holding it, with the reason.
 */
export class UnreadableValue {
  constructor(
    /** The value as the warehouse prints it, e.g. `infinity`. */
    readonly text: string,
    /** The column's type, e.g. `DATE`. */
    readonly type: string,
    /** Why JavaScript cannot hold it. */
    readonly reason: string,
  ) {}

  /** Shown (JSON, text) as the warehouse prints it. */
  toJSON(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}
