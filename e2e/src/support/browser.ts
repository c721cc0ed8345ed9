import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '@hostlink/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Debian's Chromium quiet on a machine with no outside network (see test-peers notes). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Real headless Chromium with a fresh profile; fails at once, saying how to install it, when missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: the browser tests need Debian's Chromium (apt-get install -y --no-install-recommends chromium; .ci/run does it)`,
    );
  // playwright's launch() gives every browser a fresh, empty profile of its own (its --user-data-dir).
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export const VIEWPORTS = {
  tabletPortrait: { width: 768, height: 1024 },
  tabletLandscape: { width: 1366, height: 1024 },
  phone: { width: 390, height: 844 },
} as const;

/** Screenshots land in test-artifacts/web/ (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(repoRoot(), 'test-artifacts', 'web');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Page errors and dialogs (an injected `alert`) fail the test that collects them. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}
