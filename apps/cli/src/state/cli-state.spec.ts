import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from '@hostlink/client-sdk';
import { resolveConfigDir, StateStore } from './cli-state.js';
import { SessionManager } from './session-manager.js';

describe('CLI state', () => {
  let base: string;
  before(async () => (base = await mkdtemp(join(tmpdir(), 'hostlink-cli-'))));
  after(() => rm(base, { recursive: true, force: true }));

  it('resolves the folder from flag, env, then XDG', () => {
    assert.equal(resolveConfigDir('/x', { HOSTLINK_CONFIG_DIR: '/y' }), '/x');
    assert.equal(resolveConfigDir(undefined, { HOSTLINK_CONFIG_DIR: '/y' }), '/y');
    assert.equal(resolveConfigDir(undefined, { XDG_CONFIG_HOME: '/z' }), '/z/hostlink');
  });

  it('creates a device key once, in a 0600 file inside a 0700 folder', async () => {
    const store = new StateStore(join(base, 'conf'));
    const sessions = new SessionManager(store);
    const first = await sessions.baseState();
    const second = await sessions.baseState();
    assert.equal(first.deviceKey.publicKey, second.deviceKey.publicKey);
    assert.equal((await stat(store.dir)).mode & 0o777, 0o700);
    assert.equal((await stat(store.file)).mode & 0o777, 0o600);
  });

  it('saves the rotated refresh token before using the new access token', async () => {
    const store = new StateStore(join(base, 'rotate'));
    const calls: string[] = [];
    const fake = ((url: string, init: RequestInit) => {
      calls.push(url);
      if (url.endsWith('/oauth/token')) {
        const body = new URLSearchParams(init.body as string);
        const refresh = body.get('grant_type') === 'refresh_token' ? 'hlr_new' : 'hlr_first';
        return Promise.resolve(
          Response.json({
            access_token: 'a.b.c',
            token_type: 'Bearer',
            expires_in: 300,
            refresh_token: refresh,
          }),
        );
      }
      const user = {
        id: crypto.randomUUID(),
        email: 'me@example.com',
        accountId: crypto.randomUUID(),
        role: 'admin',
      };
      return Promise.resolve(Response.json({ sessionToken: 's.t.u', expiresIn: 1, user }));
    }) as typeof fetch;
    const sessions = new SessionManager(store, (url) => new ApiClient(url, fake));
    await sessions.signIn('http://server', 'me@example.com', 'pw');
    assert.equal((await store.load())?.account?.refreshToken, 'hlr_first');
    await sessions.session(); // the 1 s session is inside the renewal margin: refresh
    assert.equal((await store.load())?.account?.refreshToken, 'hlr_new');
    assert.equal(calls.filter((url) => url.endsWith('/oauth/token')).length, 2);
  });

  it('says how to sign in when there is no account', async () => {
    const sessions = new SessionManager(new StateStore(join(base, 'empty')));
    await assert.rejects(sessions.session(), /hostlink login --server URL --email/);
  });
});
