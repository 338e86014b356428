/** The Google Ads emulator's checks: auth headers and one operation's identifiers. */
import type { EmulatorRequest, EmulatorResponse, EmulatorTools } from '../../../src/sandbox/types.js';
import type { GoogleAdsEmulatorOptions } from '../emulator.js';
import { adsError, type EmulatedAdsError, operationError } from './answers.js';
import { memberOf } from './store.js';

const HASHED = ['hashedEmail', 'hashedPhoneNumber', 'hashedFirstName', 'hashedLastName'];
const header = (request: EmulatorRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Why an operation is refused (its error), or undefined. */
export function operationProblem(
  index: number,
  identifiers: Array<Record<string, unknown>>,
  maxPerPerson: number,
  tools: EmulatorTools,
): EmulatedAdsError | undefined {
  const job = 'offlineUserDataJobError';
  if (identifiers.length === 0)
    return operationError(index, 'collectionSizeError', 'TOO_FEW', 'userIdentifiers is empty.');
  if (identifiers.length > maxPerPerson)
    return operationError(
      index,
      job,
      'TOO_MANY_USER_IDENTIFIERS',
      `At most ${maxPerPerson} identifiers per user.`,
    );
  for (const identifier of identifiers) {
    const fields = { ...identifier, ...((identifier.addressInfo as Record<string, unknown>) ?? {}) };
    for (const field of HASHED) {
      const value = fields[field];
      if (value !== undefined && !/^[0-9a-f]{64}$/.test(String(value)))
        return operationError(
          index,
          job,
          'INVALID_SHA256_FORMAT',
          `The SHA256 encoded value is malformed (${field}).`,
        );
    }
    if (fields.countryCode !== undefined && !/^[A-Z]{2}$/.test(String(fields.countryCode)))
      return operationError(index, job, 'INVALID_COUNTRY_CODE', 'The country code is invalid.');
  }
  const rule = tools.rejection('', memberOf(identifiers));
  if (rule) {
    const code = rule.reason && /^[A-Z_]+$/.test(rule.reason) ? rule.reason : 'INVALID_SHA256_FORMAT';
    return operationError(index, job, code, rule.reason ?? 'The user identifier is invalid.');
  }
  return undefined;
}

/** The auth error Google answers for this request, or undefined (Bearer, developer-token, login-customer-id). */
export function authProblem(
  config: Pick<GoogleAdsEmulatorOptions, 'tokens' | 'developerTokens' | 'customerId' | 'loginCustomerId'>,
  request: EmulatorRequest,
  customer: string,
): EmulatorResponse | undefined {
  const token = /^Bearer (.+)$/.exec(header(request, 'authorization') ?? '')?.[1];
  if (!token || !config.tokens.includes(token))
    return adsError(
      401,
      'UNAUTHENTICATED',
      'authenticationError',
      'OAUTH_TOKEN_INVALID',
      'Request had invalid authentication credentials.',
    );
  const developer = header(request, 'developer-token');
  if (!developer)
    return adsError(
      401,
      'UNAUTHENTICATED',
      'authenticationError',
      'DEVELOPER_TOKEN_PARAMETER_MISSING',
      'The developer token is missing.',
    );
  if (!config.developerTokens.includes(developer))
    return adsError(
      401,
      'UNAUTHENTICATED',
      'authenticationError',
      'DEVELOPER_TOKEN_INVALID',
      'The developer token is not valid.',
    );
  const login = header(request, 'login-customer-id');
  if (
    customer !== config.customerId ||
    (config.loginCustomerId !== undefined && login !== config.loginCustomerId)
  )
    return adsError(
      403,
      'PERMISSION_DENIED',
      'authorizationError',
      'USER_PERMISSION_DENIED',
      "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.",
    );
  return undefined;
}
