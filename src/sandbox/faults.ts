/** Injected failures and record-rejection rules of one emulator. */
import type { FailureSpec, FaultSpec, RecordRejectRule } from './types.js';

/** Pending failures (consumed one request at a time) and reject rules. */
export class FaultState {
  private pending: FailureSpec[] = [];
  rules: RecordRejectRule[] = [];

  /** Applies a FaultSpec (see POST /__sandbox/faults). Invalid specs throw. */
  apply(spec: FaultSpec): void {
    if (spec.clear) this.clear();
    for (const failure of spec.fail ?? []) this.pending.push(validateFailure(failure));
    for (const rule of spec.reject ?? []) {
      if (typeof rule.field !== 'string' || (rule.equals === undefined && rule.matches === undefined)) {
        throw new Error('a reject rule needs a field and equals or matches');
      }
      if (rule.matches !== undefined) new RegExp(rule.matches); // fail early on a bad pattern
      this.rules.push(rule);
    }
  }

  clear(): void {
    this.pending = [];
    this.rules = [];
  }

  /** The failure to apply to the next request, if any (counts down `count`). */
  next(): FailureSpec | undefined {
    const head = this.pending[0];
    if (head === undefined) return undefined;
    const remaining = (head.count ?? 1) - 1;
    if (remaining <= 0) this.pending.shift();
    else this.pending[0] = { ...head, count: remaining };
    return head;
  }

  /** Number of failures still to apply. */
  get pendingCount(): number {
    return this.pending.reduce((sum, failure) => sum + (failure.count ?? 1), 0);
  }

  /** The first rule matching the record (`key` or a data field), or undefined. */
  rejection(key: string, data: Record<string, unknown> | null | undefined): RecordRejectRule | undefined {
    return this.rules.find((rule) => {
      const raw = rule.field === 'key' ? key : data?.[rule.field];
      if (raw === undefined || raw === null) return false;
      const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
      if (rule.equals !== undefined) return value === rule.equals;
      return new RegExp(rule.matches ?? '').test(value);
    });
  }
}

function validateFailure(failure: FailureSpec): FailureSpec {
  const count = failure.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error('failure count must be a positive integer');
  if (failure.kind === 'status' && !(failure.status >= 400 && failure.status <= 599)) {
    throw new Error('an injected status must be 4xx or 5xx');
  }
  if (failure.kind === 'slow' && !(failure.delayMs >= 0)) throw new Error('slow needs delayMs');
  if (!['status', 'reset', 'slow'].includes(failure.kind)) throw new Error(`unknown failure kind`);
  return failure;
}
