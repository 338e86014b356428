/** A profiles.yml problem found while building: names the file and the trait. */
export class ProfilesError extends Error {
  override name = 'ProfilesError';
  constructor(
    message: string,
    /** The trait at fault, when one is. */
    readonly trait?: string,
  ) {
    super(
      trait === undefined
        ? `models/profiles.yml: ${message}`
        : `models/profiles.yml: trait '${trait}': ${message}`,
    );
  }
}
