/** An audience that cannot be compiled or built: names the audience and its file. */
export class AudienceError extends Error {
  override name = 'AudienceError';
  constructor(
    message: string,
    /** Project-relative path of the audience file at fault, when one is. */
    readonly file?: string,
    /** The audience's name, when one is at fault. */
    readonly audience?: string,
  ) {
    super(
      file === undefined
        ? message
        : `${file}: ${audience === undefined ? '' : `audience '${audience}': `}${message}`,
    );
  }
}
