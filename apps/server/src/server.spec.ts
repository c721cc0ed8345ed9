import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { ConfigError } from '@hostlink/config';
import { ApiPath, OpsPath } from '@hostlink/protocol';
import { explainBootError } from './boot-errors.js';
import { resolveSettings, startServer } from './boot.js';

const dataDir = mkdtempSync(join(tmpdir(), 'hostlink-server-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({
  HOSTLINK_DATA_DIR: dataDir,
  HOSTLINK_GATEWAY_PORT: '0',
  HOSTLINK_RELAY_PORT: '0',
  HOSTLINK_POLL_PORT: '0',
  HOSTLINK_ADMIN_EMAIL: 'Owner@Example.com',
  ...extra,
});

async function boot(extra: Record<string, string> = {}) {
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const server = await startServer(await resolveSettings(env(extra)), out);
  return { server, printed: () => printed };
}

test('boots on free ports, reports them, is healthy, and creates the admin once', async () => {
  const first = await boot();
  try {
    const [ready, ...banner] = first.printed().split('\n');
    assert.match(ready ?? '', /^HOSTLINK_READY /);
    const urls = JSON.parse((ready ?? '').slice('HOSTLINK_READY '.length)) as Record<string, string>;
    assert.equal(urls.gateway, first.server.settings.urls.gateway);
    assert.doesNotMatch(urls.gateway ?? '', /:0$/);
    const health = await fetch(`${urls.gateway}${OpsPath.ready}`);
    assert.equal(health.status, 200);
    const metrics = await (await fetch(`${urls.gateway}${OpsPath.metrics}`)).text();
    assert.match(metrics, /^hostlink_relay_sessions_active 0$/m);
    assert.match(metrics, /^nodejs_heap_size_used_bytes /m);
    assert.equal(first.server.admin.created, true);
    const password = first.server.admin.generatedPassword;
    assert.ok(password);
    assert.ok(banner.join('\n').includes(password));
    assert.ok(
      banner.join('\n').includes(`npx hostlink login --server ${urls.gateway} --email owner@example.com`),
    );
    const token = await fetch(`${urls.gateway}${ApiPath.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'owner@example.com',
        password,
      }).toString(),
    });
    assert.equal(token.status, 200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const session = await fetch(`${urls.gateway}${ApiPath.session}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(session.status, 200);
  } finally {
    await first.server.close();
  }
  const second = await boot();
  try {
    assert.equal(second.server.admin.created, false);
    assert.equal(second.server.admin.generatedPassword, undefined);
    assert.doesNotMatch(second.printed(), /generated now/);
  } finally {
    await second.server.close();
  }
});

test('bad configuration is refused with every problem named', async () => {
  await assert.rejects(
    resolveSettings(env({ HOSTLINK_GATEWAY_PORT: 'eighty', HOSTLINK_ADMIN_EMAIL: 'nobody' })),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const explained = explainBootError(error);
      assert.match(explained, /HOSTLINK_GATEWAY_PORT/);
      assert.match(explained, /HOSTLINK_ADMIN_EMAIL/);
      return true;
    },
  );
});

test('a port in use fails the boot with what to do next', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const settings = await resolveSettings(env({ HOSTLINK_RELAY_PORT: String(port) }));
    await assert.rejects(startServer(settings, new PassThrough()), (error: unknown) => {
      assert.match(
        explainBootError(error, settings.ports),
        new RegExp(`Port ${port} is already in use.*HOSTLINK_RELAY_PORT`),
      );
      return true;
    });
  } finally {
    blocker.close();
  }
});
