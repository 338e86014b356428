/** `weft plan` checks a HubSpot sync's mappings against the portal's live properties. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWeft, writePeople } from '../sync/cli-project.js';
import { type HubspotEmulator, startHubspot } from './hubspot-harness.js';

function writeProject(dir: string, url: string, mappings: Record<string, string>): void {
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: hubtest\nwarehouse:\n  type: duckdb\n  path: .weft/warehouse.duckdb\nconnections:\n  hub:\n    type: hubspot\n    base_url: ${url}\n    access_token: sandbox-token\n    tier: professional\n`,
  );
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'models/sources.yml'),
    'sources:\n  app:\n    schema: app\n    tables: [people]\n',
  );
  fs.writeFileSync(path.join(dir, 'models/people.sql'), "select * from {{source 'app' 'people'}}\n");
  fs.mkdirSync(path.join(dir, 'syncs'), { recursive: true });
  const lines = Object.entries(mappings).map(([field, source]) => `  ${field}: ${JSON.stringify(source)}`);
  fs.writeFileSync(
    path.join(dir, 'syncs/hubspot_contacts.yml'),
    `name: hubspot_contacts\nfrom: people\nconnection: hub\nobject: contacts\nmode: upsert\nkey: email\nmatch_on: email\nmappings:\n${lines.join('\n')}\n`,
  );
}

describe('weft plan with a HubSpot sync', () => {
  let emulator: HubspotEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await startHubspot();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-hubspot-cli-'));
    writeProject(dir, emulator.url, {});
    await writePeople(dir, [['a@example.com', 'Ann', 1.5]]);
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails with exit 2 naming an unknown property and the closest ones', async () => {
    writeProject(dir, emulator.url, { email: 'email', first_name: 'name', lifetime_value: 'score' });
    const { code, stderr } = await spawnWeft(['plan', 'hubspot_contacts'], dir).done;
    expect(code).toBe(2);
    expect(stderr).toContain("mapping 'first_name': the destination has no such field (closest: firstname");
  });

  it('plans a mapping that fits the properties', async () => {
    writeProject(dir, emulator.url, { email: 'email', firstname: 'name', lifetime_value: 'score' });
    const { code, stdout } = await spawnWeft(['plan', 'hubspot_contacts', '--json'], dir).done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ sync: 'hubspot_contacts', added: 1 });
  });
});
