/** A ProfileReader over a few profiles held in memory (the tests' and the bench's serving store). */
import type { ProfileReader, ServedProfile } from '../../../src/realtime/types.js';

/** Normalizes like the identity graph does for the id types tests use (emails lower-cased, trimmed). */
function normalize(type: string, value: string): string {
  return type === 'email' ? value.trim().toLowerCase() : value.trim();
}

/** An in-memory reader; `lookups` counts byIdentifier calls. */
export class MemoryProfileReader implements ProfileReader {
  private readonly byId = new Map<string, ServedProfile>();
  private readonly byKey = new Map<string, ServedProfile>();
  lookups = 0;

  constructor(profiles: ServedProfile[] = []) {
    for (const profile of profiles) this.put(profile);
  }

  /** Adds or replaces a profile. */
  put(profile: ServedProfile): void {
    this.byId.set(profile.profileId, profile);
    for (const id of profile.identifiers)
      this.byKey.set(`${id.type}:${normalize(id.type, id.value)}`, profile);
  }

  async byIdentifier(type: string, value: string): Promise<ServedProfile | undefined> {
    this.lookups++;
    return this.byKey.get(`${type}:${normalize(type, value)}`);
  }

  async byProfileId(profileId: string): Promise<ServedProfile | undefined> {
    return this.byId.get(profileId);
  }
}
