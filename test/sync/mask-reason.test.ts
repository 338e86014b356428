import { describe, expect, it } from 'vitest';
import { maskReason } from '../../src/sync/state/mask-reason.js';

describe('maskReason', () => {
  it('groups reasons that differ only by the value', () => {
    const a = maskReason('Property values were not valid: Email "ann@example" is invalid');
    const b = maskReason('Property values were not valid: Email "bob.smith@foo" is invalid');
    expect(a).toBe(b);
    expect(a).toBe('Property values were not valid: Email "…" is invalid');
  });
  it('masks bare emails, urls, ids and long numbers but keeps short codes', () => {
    expect(maskReason('HTTP 400: ann@example.com is not allowed')).toBe('HTTP 400: <email> is not allowed');
    expect(maskReason('see https://x.test/a?b=1 for 0032x000004AbCd')).toBe('see <url> for 0032x000004AbCd');
    expect(maskReason('record 123e4567-e89b-12d3-a456-426614174000 locked')).toBe('record <id> locked');
    expect(maskReason('phone +1 (555) 010-9999 invalid, max 255 chars')).toBe(
      'phone <number> invalid, max 255 chars',
    );
    expect(maskReason("value 'x' too long")).toBe("value '…' too long");
  });
  it('never returns the masked value', () => {
    const secret = 'jane.doe+vip@corp.example';
    for (const r of [`bad ${secret}`, `bad "${secret}"`, `bad '${secret}'`]) {
      expect(maskReason(r)).not.toContain('jane');
    }
  });
});
