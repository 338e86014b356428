/** Why an audience cannot be inspected: the CLI maps these to exit 2 (unknown) and 1 (not built). */

/** No audience file declares this name. */
export class UnknownAudienceError extends Error {
  override name = 'UnknownAudienceError';
}

/** The audience is declared but its view does not exist yet. */
export class AudienceNotBuiltError extends Error {
  override name = 'AudienceNotBuiltError';
}
