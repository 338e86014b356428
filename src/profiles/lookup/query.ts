/** Parses what a user types to name a profile: `type:value` or a bare profile id. */

/** A profile asked for by one of its identifiers, or by its id. */
export type ProfileQuery =
  | { kind: 'identifier'; idType: string; value: string; text: string }
  | { kind: 'profile_id'; profileId: string; text: string };

/** An identifier the project cannot interpret (bad usage, not a failed lookup). */
export class ProfileQueryError extends Error {
  override name = 'ProfileQueryError';
}

/**
 * `email:Ann@X.com` → identifier (the type must be one of `idTypes`); text without a
 * `type:` prefix → profile id. Everything after the first `:` is the value, colons included.
 */
export function parseProfileQuery(text: string, idTypes: string[]): ProfileQuery {
  const trimmed = text.trim();
  if (trimmed === '') throw new ProfileQueryError('the identifier is empty: give type:value or a profile id');
  const match = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/s.exec(trimmed);
  if (!match) return { kind: 'profile_id', profileId: trimmed, text };
  const [, idType = '', value = ''] = match;
  if (!idTypes.includes(idType)) {
    throw new ProfileQueryError(
      `unknown id type '${idType}' in '${text}': identity.yml has ${idTypes.join(', ') || 'none'}`,
    );
  }
  if (value.trim() === '') throw new ProfileQueryError(`no value after '${idType}:'`);
  return { kind: 'identifier', idType, value, text };
}
