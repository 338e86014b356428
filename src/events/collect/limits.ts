/** Segment's Tracking API limits, which weft keeps so clients behave the same against both. */

/** Bytes of one event's JSON. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Bytes of one request body (after gzip is undone). */
export const MAX_BATCH_BYTES = 500 * 1024;
/** Events in one `/v1/batch` call. */
export const MAX_BATCH_EVENTS = 2500;
/** An event whose corrected time is further ahead of the server's clock than this is refused. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
