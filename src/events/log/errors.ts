/** Why the embedded log refuses appends: the two kinds map to different HTTP answers. */
import { LogFullError } from '../types.js';

/** The disk is full (ENOSPC) or cannot be written: acks stop (503) until it can. */
export class LogUnavailableError extends LogFullError {
  override name = 'LogUnavailableError';
}

/** Too many events wait to land (the warehouse is behind or unreachable): slow down (429). */
export class LogBehindError extends LogFullError {
  override name = 'LogBehindError';
}
