/**
 * Mailchimp's quirks on top of the generic classification: errors are problem+json, so messages
 * read "Title: detail"; past the 10 simultaneous connections Mailchimp answers 429, and sometimes
 * a bare 403 with no problem body, which is the same throttling and not a bad key.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';
import { type Problem, problemText } from './api.js';

function problemOf(body: string): Problem | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Problem) : undefined;
  } catch {
    return undefined;
  }
}

/** The destination's refineError hook. */
export function refineMailchimpError(
  response: HttpResponseInfo,
  generic: DestinationError,
): DestinationError | undefined {
  const problem = problemOf(response.body);
  if (response.status === 403 && problem?.title === undefined) {
    return new DestinationError(
      'rate_limit',
      'Mailchimp refused the connection (bare 403: too many connections)',
      {
        status: 403,
        retryAfterMs: 1000,
      },
    );
  }
  if (problem?.title === undefined) return undefined;
  const options = {
    status: response.status,
    ...(generic.retryAfterMs !== undefined && { retryAfterMs: generic.retryAfterMs }),
    code: problem.title,
  };
  return new DestinationError(
    generic.kind,
    `Mailchimp ${response.status}: ${problemText(response.body)}`,
    options,
  );
}
