import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  enrollHost,
  expectEventually,
  HOST_PASSWORD,
  startEmbeddedStack,
  type EmbeddedStack,
  type EnrolledHost,
} from '@hostlink/testing';
import { ApiPath, RELAY_WS_PATH } from '@hostlink/protocol';
import type { Browser, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { launchChromium, screenshot, VIEWPORTS, watchPage } from '../support/browser.js';
import { noisePng } from './web.fixture.js';

const IMAGE = noisePng(160, 120);

const HOST_NAME = '<b>Tablet</b> & "host" <img src=x onerror=alert(1)>';
const FOLDER = 'Fotos – Ünïcødé 文件 🌍';
const HOSTILE_FILE = '<img src=x onerror=alert(1)>.txt';

describe('web client in real Chromium against the embedded stack and a real agent', () => {
  let stack: EmbeddedStack;
  let host: EnrolledHost;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let share: string;
  const big = randomBytes(3 * 1024 * 1024 + 17);

  before(async () => {
    share = await mkdtemp(join(tmpdir(), 'hostlink-web-share-'));
    await mkdir(join(share, FOLDER));
    await writeFile(join(share, FOLDER, 'red.png'), IMAGE);
    await writeFile(join(share, FOLDER, 'notes.txt'), 'plain <script>alert(1)</script> text\n');
    await writeFile(join(share, FOLDER, 'big.bin'), big);
    await writeFile(join(share, HOSTILE_FILE), 'x');
    stack = await startEmbeddedStack();
    host = await enrollHost(stack, HOST_NAME, [share]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORTS.tabletPortrait, acceptDownloads: true });
    problems = watchPage(page);
  });

  after(async () => {
    await browser?.close();
    await host?.agent.stop();
    await stack?.stop();
  });

  test('sign in and see the host online, its markup-laden name shown as text', async () => {
    await page.goto(stack.urls.gateway);
    await screenshot(page, 'sign-in-tablet-portrait');
    await page.fill('input[name=email]', stack.admin.email);
    await page.fill('input[name=password]', stack.admin.password);
    await page.click('button[type=submit]');
    const card = page.locator('[data-testid=host]', { hasText: 'Tablet' });
    await card.locator('[data-testid=host-status]', { hasText: 'online' }).waitFor();
    assert.equal(await card.locator('.host-name').textContent(), HOST_NAME);
    assert.equal(
      await page.locator('.host-list img, .host-list b').count(),
      0,
      'no markup from the host name',
    );
    await screenshot(page, 'hosts-tablet-portrait');
  });

  test('connect with the host password, search the host by name, browse into a Unicode folder', async () => {
    await page.locator('[data-testid=host]', { hasText: 'Tablet' }).click();
    await page.fill('input[name=password]', HOST_PASSWORD);
    await page.click('[data-testid=connect]');
    const root = page.locator('[data-testid=file-row]');
    await root.first().waitFor();
    await page.locator('.file-open').first().click(); // the shared folder
    await page.locator('.file-open', { hasText: FOLDER }).waitFor();
    const hostile = page.locator('.file-name', { hasText: 'onerror' });
    assert.equal(await hostile.textContent(), HOSTILE_FILE);
    assert.equal(await page.locator('.file-list img').count(), 0);
    await page.fill('[data-testid=search]', 'RED');
    await page.press('[data-testid=search]', 'Enter');
    await page.locator('[data-testid=search-results] button', { hasText: `${FOLDER}/red.png` }).waitFor();
    await page.fill('[data-testid=search]', '');
    await page.locator('.file-open', { hasText: FOLDER }).click();
    await page.locator('.file-name', { hasText: 'red.png' }).waitFor();
    const crumbs = await page.locator('[data-testid=breadcrumbs] button').allTextContents();
    assert.equal(crumbs.at(-1), FOLDER);
    await screenshot(page, 'files-tablet-portrait');
  });

  test('an image preview is cached: the second look transfers no file bytes', async () => {
    await page.locator('.file-open', { hasText: 'red.png' }).click();
    await page.locator('[data-testid=preview-source]', { hasText: 'downloaded' }).waitFor();
    const drawn = await page
      .locator('[data-testid=preview-image]')
      .evaluate((image: HTMLImageElement) => image.decode().then(() => image.naturalWidth));
    assert.equal(drawn, 160);
    await screenshot(page, 'preview-tablet-portrait');
    await page.click('[data-testid=close-preview]');
    const before = await receivedBytes(page);
    assert.ok(before > IMAGE.length, 'the first look brought the image');
    await page.locator('.file-open', { hasText: 'red.png' }).click();
    await page.locator('[data-testid=preview-source]', { hasText: 'from cache' }).waitFor();
    await page.click('[data-testid=close-preview]');
    const afterBytes = await receivedBytes(page);
    // Only the request's reply header (about 100 bytes) crosses: the image's bytes do not.
    assert.ok(afterBytes - before < 1024, `second look received ${afterBytes - before} bytes`);
  });

  test('text previews show markup as text', async () => {
    await page.locator('.file-open', { hasText: 'notes.txt' }).click();
    const text = await page.locator('[data-testid=preview-text]').textContent();
    assert.match(text ?? '', /<script>alert\(1\)<\/script>/);
    await page.click('[data-testid=close-preview]');
  });

  test('download a file and compare its SHA-256', async () => {
    const row = page.locator('[data-testid=file-row]', { hasText: 'big.bin' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('[data-testid=download]').click(),
    ]);
    const saved = await readFile(await download.path());
    assert.equal(sha256(saved), sha256(big));
    await page.locator('[data-testid=transfer][data-state=done]').first().waitFor();
  });

  test('upload a file: it lands on the host', async () => {
    const content = randomBytes(700_000);
    await page.setInputFiles('[data-testid=upload]', {
      name: 'from-tablet ✓.bin',
      mimeType: 'application/octet-stream',
      buffer: content,
    });
    await page.locator('[data-testid=transfer][data-state=done]', { hasText: 'from-tablet' }).waitFor();
    assert.equal(sha256(await readFile(join(share, FOLDER, 'from-tablet ✓.bin'))), sha256(content));
    await page.locator('.file-name', { hasText: 'from-tablet' }).waitFor();
  });

  test('an upload cancelled midway leaves nothing on the host', async () => {
    const name = 'cancelled upload.bin';
    await page.setInputFiles('[data-testid=upload]', {
      name,
      mimeType: 'application/octet-stream',
      buffer: randomBytes(45 * 1024 * 1024),
    });
    const row = page.locator('[data-testid=transfer]', { hasText: name });
    const started = Date.now();
    await row.locator('[data-testid=cancel-transfer]').click();
    await row.and(page.locator('[data-state=cancelled]')).waitFor();
    const cancelledAfter = Date.now() - started;
    await expectEventually(
      async () =>
        assert.deepEqual(
          (await readdir(join(share, FOLDER))).filter(
            (entry) => entry.includes('cancelled') || entry.startsWith('.hostlink-upload'),
          ),
          [],
        ),
      { timeoutMs: 30_000 },
    );
    console.log(`upload cancelled in ${cancelledAfter} ms; host clean after ${Date.now() - started} ms`);
  });

  test('phone and landscape tablet layouts', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'files-phone');
    await page.setViewportSize(VIEWPORTS.tabletLandscape);
    await screenshot(page, 'files-tablet-landscape');
    await page.setViewportSize(VIEWPORTS.tabletPortrait);
  });

  test('WebSocket upgrades from another origin are refused by the gateway and the relay', async () => {
    const events = stack.urls.gateway.replace(/^http/, 'ws') + ApiPath.events;
    const relay = stack.urls.relay.replace(/\/relay$/, RELAY_WS_PATH);
    assert.equal(await upgradeStatus(events, 'https://evil.example'), 403);
    assert.equal(await upgradeStatus(relay, 'https://evil.example'), 403);
    assert.equal(await upgradeStatus(events, new URL(stack.urls.gateway).origin), 101);
  });

  test('stopping the agent turns the host offline on the page, without a reload', async () => {
    await page.click('.back');
    const card = page.locator('[data-testid=host]', { hasText: 'Tablet' });
    await card.locator('[data-testid=host-status]', { hasText: 'online' }).waitFor();
    await host.agent.stop();
    await card.locator('[data-testid=host-status]', { hasText: 'offline' }).waitFor({ timeout: 5_000 });
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'hosts-phone');
    assert.deepEqual(problems, []);
  });
});

async function receivedBytes(page: Page): Promise<number> {
  // The counter refreshes twice a second: wait for it to settle on the latest value.
  return expectEventually(async () => {
    const first = Number(await page.locator('[data-testid=bytes-received]').getAttribute('data-bytes'));
    await page.waitForTimeout(600);
    const second = Number(await page.locator('[data-testid=bytes-received]').getAttribute('data-bytes'));
    assert.equal(first, second);
    return second;
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}
