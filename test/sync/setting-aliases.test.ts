/** HubSpot's `token` is an alias of `access_token` (issue 19, item 2): parsed as it, never both. */
import { describe, expect, it } from 'vitest';
import { hubspot } from '../../destinations/hubspot/index.js';
import { parseSettings } from '../../src/destination-kit/index.js';

describe('setting aliases', () => {
  it('reads token as access_token', () => {
    const settings = parseSettings(hubspot, { type: 'hubspot', token: 'pat-abc' });
    expect(settings.access_token).toBe('pat-abc');
    expect(settings).not.toHaveProperty('token');
  });

  it('refuses token and access_token together, naming the alias and never the values', () => {
    let message = '';
    try {
      parseSettings(hubspot, { type: 'hubspot', token: 'pat-one', access_token: 'pat-two' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("token: is another name for 'access_token': give only one");
    expect(message).not.toMatch(/pat-one|pat-two/);
  });
});
