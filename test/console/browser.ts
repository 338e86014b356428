/**
 * Browser helpers the console's Chromium test files share: Debian's Chromium (headless, through
 * playwright-core) at 1280×800, one tab per key signed in once, every response body kept (to
 * look for secrets in), and the screenshots folder (docs/img with WEFT_UPDATE_SCREENSHOTS=1).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../cli/run-weft.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run (CI sets WEFT_REQUIRE_CHROMIUM=1 so a missing one fails). */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available) {
    if (process.env.WEFT_REQUIRE_CHROMIUM === '1')
      throw new Error(`WEFT_REQUIRE_CHROMIUM=1 but ${CHROMIUM} is missing`);
    console.warn(`Skipping the console's browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);
  }
  return available;
}

/** Where screenshots go: docs/img when updating them, else a temporary folder. */
export function screenshotsDir(): string {
  const dir =
    process.env.WEFT_UPDATE_SCREENSHOTS === '1'
      ? path.join(repoRoot, 'docs', 'img')
      : mkdtempSync(path.join(os.tmpdir(), 'weft-shots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A running headless Chromium for one console. */
export interface ConsoleBrowser {
  context: BrowserContext;
  /** Every response body a signed-in tab received. */
  received: string[];
  /** A tab signed in with `key` (one per key, reused; back on the overview when reused). */
  signedIn(key: string): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Chromium for the console at `url`. */
export async function consoleBrowser(url: string): Promise<ConsoleBrowser> {
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'weft-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
  });
  const received: string[] = [];
  const tabs = new Map<string, Page>();
  return {
    context,
    received,
    async signedIn(key) {
      const open = tabs.get(key);
      if (open) {
        await open.goto(`${url}/#/`);
        return open;
      }
      const page = await context.newPage();
      tabs.set(key, page);
      page.on('response', (response) => {
        void response.text().then(
          (text) => received.push(text),
          () => undefined,
        );
      });
      await page.goto(`${url}/`);
      await page.getByLabel('Console key').fill(key);
      await page.keyboard.press('Enter');
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return page;
    },
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Removes the screenshots folder unless it is docs/img. */
export function dropScreenshots(dir: string): void {
  if (process.env.WEFT_UPDATE_SCREENSHOTS !== '1') rmSync(dir, { recursive: true, force: true });
}
