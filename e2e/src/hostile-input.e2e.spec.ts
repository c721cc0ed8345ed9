import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiPath, POLL_PATH } from '@hostlink/protocol';
import {
  AgentHost,
  type EmbeddedStack,
  type EnrolledHost,
  enrollHost,
  expectEventually,
  HOST_PASSWORD,
  hostStatus,
  newEnrollmentToken,
  startEmbeddedStack,
} from '@hostlink/testing';
import { WebSocket } from 'ws';
import { RawApi } from './support/raw-api.js';
import { dial, sendHello } from './support/relay-leg.js';

const clientKey = () =>
  Buffer.from(generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x!, 'base64url').toString(
    'base64url',
  );

describe('hostile input against the running platform', () => {
  let stack: EmbeddedStack;
  let host: EnrolledHost;
  let share: string;
  let outside: string;
  let api: RawApi;
  let session: string;
  const withPassword = { HOSTLINK_HOST_PASSWORD: HOST_PASSWORD };
  const remote = (path: string) => `${host.name}:/${basename(share)}${path}`;

  before(async () => {
    const base = await mkdtemp(join(tmpdir(), 'hostlink-hostile-'));
    share = join(base, 'share');
    outside = join(base, 'outside');
    await mkdir(join(share, 'inner'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'not yours');
    await writeFile(join(share, 'inner', 'ok.txt'), 'fine');
    await symlink(outside, join(share, 'escape-dir'));
    await symlink(join(outside, 'secret.txt'), join(share, 'escape-file'));
    stack = await startEmbeddedStack({ HOSTLINK_PAIR_TIMEOUT_SECONDS: '2' });
    host = await enrollHost(stack, 'target', [share]);
    api = new RawApi(stack.urls.gateway);
    session = (await api.signIn(stack.admin.email, stack.admin.password)).session;
  });
  after(async () => {
    await host?.agent.stop();
    await stack?.stop();
  });

  describe('paths outside the shared root are unreachable', () => {
    const escapes = [
      '/../',
      '/../outside/secret.txt',
      '/inner/../../outside/secret.txt',
      '/%2e%2e/outside/secret.txt',
      '/..%2f..%2fetc/passwd',
      '/escape-dir/secret.txt',
      '/escape-file',
      '/inner\\..\\..\\outside\\secret.txt',
    ];
    for (const path of escapes) {
      test(`get ${path} is refused and writes nothing`, async () => {
        const target = join(await mkdtemp(join(tmpdir(), 'hostlink-escape-')), 'out');
        const result = await host.user.run(['get', remote(path), target], { env: withPassword });
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /not found|does not exist|outside|invalid|refused|denied/i);
        assert.doesNotMatch(result.stdout + result.stderr, /not yours/);
        assert.equal(existsSync(target), false);
      });
    }

    for (const path of ['/etc/passwd', 'C:\\Windows\\win.ini', '\\\\server\\share\\x']) {
      test(`absolute or Windows path ${path} is refused`, async () => {
        const result = await host.user.run(['ls', `${host.name}:${path}`], { env: withPassword });
        assert.notEqual(result.code, 0);
        assert.doesNotMatch(result.stdout, /root:/);
      });
    }

    test('an upload cannot land outside the share', async () => {
      const local = join(await mkdtemp(join(tmpdir(), 'hostlink-up-')), 'payload.txt');
      await writeFile(local, 'payload');
      for (const path of ['/../planted.txt', '/escape-dir/planted.txt']) {
        const result = await host.user.run(['put', local, remote(path)], { env: withPassword });
        assert.notEqual(result.code, 0, path);
      }
      assert.deepEqual(await readdir(outside), ['secret.txt']);
      assert.equal(existsSync(join(dirname(share), 'planted.txt')), false);
    });
  });

  test('a wrong host password is refused, and repeated failures are rate limited', async () => {
    const wrong = { HOSTLINK_HOST_PASSWORD: 'not the password' };
    const first = await host.user.run(['ls', remote('/')], { env: wrong });
    assert.notEqual(first.code, 0);
    assert.match(first.stderr, /password/i);
    let limited = false;
    for (let attempt = 0; attempt < 8 && !limited; attempt += 1) {
      const result = await host.user.run(['ls', remote('/')], { env: wrong });
      limited = /too many|rate|try again/i.test(result.stderr);
    }
    assert.ok(limited, 'repeated wrong passwords end in a rate limit');
  });

  test('an enrollment token works once', async () => {
    const token = await newEnrollmentToken(host.user);
    const first = await AgentHost.create();
    const second = await AgentHost.create();
    const args = ['--server', stack.urls.gateway, '--token', token, '--share', share];
    assert.equal((await first.enroll([...args, '--name', 'first'], 'password one')).code, 0);
    const reused = await second.enroll([...args, '--name', 'second'], 'password two');
    assert.notEqual(reused.code, 0);
    assert.match(reused.stderr, /already used|used/i);
  });

  describe('tokens of one kind are refused as another', () => {
    test('refresh, access and garbage tokens are not session tokens', async () => {
      const tokens = await api.signIn(stack.admin.email, stack.admin.password);
      for (const bearer of [tokens.refresh, tokens.access, 'garbage', `${tokens.session}x`]) {
        const response = await api.call(ApiPath.hosts, { bearer });
        assert.equal(response.status, 401, bearer.slice(0, 12));
      }
    });

    test('a session token is not an access token', async () => {
      const response = await api.call(ApiPath.session, { method: 'POST', bearer: session });
      assert.equal(response.status, 401);
    });
  });

  describe('relay tickets', () => {
    test('a ticket pairs once; reused, foreign and unpaired legs are refused', async () => {
      const [target] = (await api.hosts(session)).filter((candidate) => candidate.name === host.name);
      const offer = await api.connect(session, target!.id, clientKey());
      assert.ok(offer.relay, 'the offer names a relay');
      const legOne = await dial(offer.relay.url);
      assert.deepEqual(await sendHello(legOne, { type: 'hello', ticket: offer.relay.ticket }), {
        type: 'paired',
      });
      legOne.destroy();

      const reused = await dial(offer.relay.url);
      assert.equal((await sendHello(reused, { type: 'hello', ticket: offer.relay.ticket }))?.type, 'error');

      const foreign = await dial(offer.relay.url);
      assert.equal((await sendHello(foreign, { type: 'hello', ticket: session }))?.type, 'error');

      host.agent.running?.kill('SIGSTOP');
      try {
        const lonely = await api.connect(session, target!.id, clientKey());
        const leg = await dial(lonely.relay!.url);
        const reply = await sendHello(leg, { type: 'hello', ticket: lonely.relay!.ticket });
        assert.equal(reply?.type, 'error', 'an unpaired leg times out with an error');
      } finally {
        host.agent.running?.kill('SIGCONT');
      }
    });
  });

  describe('malformed frames and oversized messages', () => {
    test('poll closes bad connections and keeps serving', async () => {
      const pollUrl = new URL(POLL_PATH, stack.urls.poll).toString();
      for (const payload of [
        '{not json',
        JSON.stringify({ type: 'hello' }),
        randomBytes(64),
        'x'.repeat(1 << 20),
      ]) {
        const socket = new WebSocket(pollUrl);
        await new Promise((resolve) => socket.once('open', resolve));
        socket.send(payload);
        await new Promise((resolve) => socket.once('close', resolve));
      }
      assert.equal((await hostStatus(host.user, host.name))?.online, true);
    });

    test('relay closes garbage and oversized hellos and keeps serving', async () => {
      const [target] = (await api.hosts(session)).filter((candidate) => candidate.name === host.name);
      const url = (await api.connect(session, target!.id, clientKey())).relay!.url;
      for (const bytes of [
        randomBytes(300),
        Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]),
        Buffer.from('\0\0\0\x05{{{{{'),
      ]) {
        const socket = await dial(url);
        socket.resume(); // read the error reply, or 'close' never comes
        socket.write(bytes);
        await new Promise((resolve) => socket.once('close', resolve));
      }
      const listed = await host.user.run(['ls', remote('/')], { env: withPassword });
      assert.equal(listed.code, 0, listed.stderr);
    });
  });

  test('the host is still online after all of that', async () => {
    await expectEventually(async () => assert.equal((await hostStatus(host.user, host.name))?.online, true));
  });
});
