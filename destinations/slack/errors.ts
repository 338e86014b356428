/**
 * Slack's incoming-webhook errors are plain words in the body. Each word gets the kind that fits
 * what it means for the rest of the run:
 * - `invalid_payload`, `no_text` (400): this message is bad → the row is rejected, others go on.
 * - `invalid_token`, `action_prohibited`, `team_disabled` (403): the webhook URL is revoked or
 *   not allowed to post → `auth`, the run stops (every row would fail the same way).
 * - `channel_not_found`, `no_service`, `no_service_id` (404), `channel_is_archived` (410): the
 *   webhook's channel is gone → `config`, the run stops. Rejecting each row instead would drop
 *   every notification for good; stopping keeps them pending until the webhook is fixed.
 * - 429 (Retry-After honoured; 1 s when absent) and 5xx are retried.
 */
import { DestinationError, type HttpResponseInfo } from '../../src/destination-kit/index.js';

type Word = { kind: DestinationError['kind']; hint: string };

const WORDS: Record<string, Word> = {
  invalid_payload: { kind: 'record', hint: 'Slack could not read the message (JSON or blocks)' },
  no_text: { kind: 'record', hint: 'the message has no text' },
  invalid_token: { kind: 'auth', hint: 'the webhook URL is wrong or revoked: create a new incoming webhook' },
  action_prohibited: { kind: 'auth', hint: 'a workspace admin does not allow this webhook to post' },
  team_disabled: { kind: 'auth', hint: 'the Slack workspace is disabled' },
  channel_not_found: { kind: 'config', hint: "the webhook's channel no longer exists" },
  no_service: { kind: 'config', hint: 'the webhook was removed or disabled: create a new incoming webhook' },
  no_service_id: { kind: 'config', hint: 'the webhook URL is incomplete' },
  channel_is_archived: {
    kind: 'config',
    hint: "the webhook's channel is archived: unarchive it or use another webhook",
  },
};

/** Default wait after a 429 without Retry-After: Slack allows about one message per second. */
const DEFAULT_RETRY_MS = 1000;

/** refineError hook: names the Slack error word and gives it the kind from the table above. */
export function refineSlackError(response: HttpResponseInfo, generic: DestinationError): DestinationError {
  const word = response.body.trim().split(/\s/)[0] ?? '';
  const known = WORDS[word];
  const { status } = response;
  if (status === 429) {
    return new DestinationError('rate_limit', 'Slack rate limit (about one message per second per webhook)', {
      status,
      retryAfterMs: generic.retryAfterMs ?? DEFAULT_RETRY_MS,
      ...(word && { code: word }),
    });
  }
  if (known === undefined || status >= 500) return generic;
  return new DestinationError(known.kind, `Slack answered ${status} ${word}: ${known.hint}`, {
    status,
    code: word,
  });
}
