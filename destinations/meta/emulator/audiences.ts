/**
 * The Meta emulator's audiences and upload sessions. Members are multi-key rows; a row joins the
 * member sharing any strong key with it (EMAIL, PHONE, EXTERN_ID, MADID), otherwise its whole key
 * set identifies it. Sessions check `batch_seq` order: 1 first, then the next number; the same
 * number again is a replay (accepted, nothing changes twice); anything else, or a batch after the
 * last one, is refused.
 */

/** One member: schema column → value as sent. */
export type MemberKeys = Record<string, string>;

const STRONG = ['EMAIL', 'PHONE', 'EXTERN_ID', 'MADID'];

/** One customer-list audience. */
export class EmulatedAudience {
  private members = new Map<number, MemberKeys>();
  private index = new Map<string, number>();
  private nextId = 1;

  constructor(readonly id: string) {}

  private handles(keys: MemberKeys): string[] {
    const strong = STRONG.filter((c) => keys[c]).map((c) => `${c}=${keys[c]}`);
    if (strong.length > 0) return strong;
    return [
      Object.entries(keys)
        .sort()
        .map(([c, v]) => `${c}=${v}`)
        .join('&'),
    ];
  }

  private find(keys: MemberKeys): number[] {
    const ids = this.handles(keys).map((h) => this.index.get(h));
    return [...new Set(ids.filter((id): id is number => id !== undefined))];
  }

  add(keys: MemberKeys): void {
    const [existing] = this.find(keys);
    const id = existing ?? this.nextId++;
    const merged = { ...(this.members.get(id) ?? {}), ...keys };
    this.members.set(id, merged);
    for (const handle of this.handles(merged)) this.index.set(handle, id);
  }

  remove(keys: MemberKeys): void {
    for (const id of this.find(keys)) {
      const member = this.members.get(id) as MemberKeys;
      for (const handle of this.handles(member)) this.index.delete(handle);
      this.members.delete(id);
    }
  }

  list(): MemberKeys[] {
    return [...this.members.values()];
  }

  get size(): number {
    return this.members.size;
  }
}

/** One upload session, as the emulator tracks it. */
export interface EmulatedSession {
  session_id: string;
  audience: string;
  operation: 'add' | 'remove';
  /** batch_seq of every accepted batch, in arrival order (replays included). */
  batches: number[];
  last_batch_flag: boolean;
  estimated_num_total?: number;
  num_received: number;
  num_invalid_entries: number;
}

/** Why a batch cannot join its session, or undefined when it can (`replay` for a repeated number). */
export function sessionProblem(
  session: EmulatedSession | undefined,
  seq: number,
  audience: string,
  operation: 'add' | 'remove',
): string | 'replay' | undefined {
  if (!Number.isInteger(seq) || seq < 1) return 'batch_seq must be a positive integer';
  if (!session) return seq === 1 ? undefined : `batch_seq ${seq} out of order: the session has no batch 1`;
  if (session.audience !== audience || session.operation !== operation)
    return 'session_id belongs to another audience or operation';
  const latest = session.batches.at(-1) ?? 0;
  if (seq === latest) return 'replay';
  if (session.last_batch_flag) return `the session already ended with batch ${latest}`;
  if (seq !== latest + 1) return `batch_seq ${seq} out of order: expected ${latest + 1}`;
  return undefined;
}
