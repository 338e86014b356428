/**
 * The Google Ads emulator's user lists and offline user data jobs. A job is PENDING until run,
 * then RUNNING for a few status reads, then SUCCESS (its operations applied to the list) or FAILED.
 * Members are flattened identifiers; an operation joins (or removes) the member sharing any of them.
 */

/** A member: hashedEmail, hashedPhoneNumber, address (`fn|ln|CC|zip`), thirdPartyUserId, mobileId. */
export type Member = Record<string, string>;

/** An accepted operation. */
export interface JobOperation {
  remove: boolean;
  member: Member;
}

/** One offline user data job. */
export interface EmulatedJob {
  resourceName: string;
  id: string;
  userList: string;
  consent?: unknown;
  status: 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED';
  failureReason?: string;
  operations: JobOperation[];
  /** Status reads since it was run. */
  polls: number;
  /** When it was run (ms since the epoch). */
  runAt?: number;
}

/** The flattened member of a `userIdentifiers` array (undefined entries skipped). */
export function memberOf(identifiers: Array<Record<string, unknown>>): Member {
  const member: Member = {};
  for (const identifier of identifiers) {
    for (const [field, value] of Object.entries(identifier)) {
      if (field === 'addressInfo' && value && typeof value === 'object') {
        const a = value as Record<string, string>;
        member.address = [a.hashedFirstName, a.hashedLastName, a.countryCode, a.postalCode].join('|');
      } else if (typeof value === 'string') member[field] = value;
    }
  }
  return member;
}

/** One user list's members. */
export class EmulatedUserList {
  private members = new Map<number, Member>();
  private index = new Map<string, number>();
  private nextId = 1;

  private handles(member: Member): string[] {
    return Object.entries(member).map(([k, v]) => `${k}=${v}`);
  }

  apply(operation: JobOperation): void {
    const ids = [
      ...new Set(
        this.handles(operation.member)
          .map((h) => this.index.get(h))
          .filter((id): id is number => id !== undefined),
      ),
    ];
    if (operation.remove) {
      for (const id of ids) {
        for (const h of this.handles(this.members.get(id) as Member)) this.index.delete(h);
        this.members.delete(id);
      }
      return;
    }
    const id = ids[0] ?? this.nextId++;
    const merged = { ...(this.members.get(id) ?? {}), ...operation.member };
    this.members.set(id, merged);
    for (const h of this.handles(merged)) this.index.set(h, id);
  }

  list(): Member[] {
    return [...this.members.values()];
  }
}
