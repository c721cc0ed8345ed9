import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BusClient, DomainRpcFilter } from '@hostlink/bus';
import {
  ApiPath,
  ErrorCode,
  HostEvent,
  HostlinkError,
  Subject,
  type PresenceChanged,
} from '@hostlink/protocol';
import { WebSocket } from 'ws';
import { startGatewayTestApp } from '../testing/gateway-test.app.js';

const SESSION = 'eyJhbGciOiJFZERTQSJ9.c2Vzc2lvbg.c2ln';
const MINE = randomUUID();
const THEIRS = randomUUID();
const host = (id: string) => ({
  id,
  name: 'h',
  os: 'linux',
  online: false,
  lastSeenAt: null,
  enrolledAt: new Date().toISOString(),
});

@Controller()
@UseFilters(DomainRpcFilter)
class FakeBroker {
  @MessagePattern(Subject.brokerListHosts)
  hosts(payload: { sessionToken: string }) {
    if (payload.sessionToken !== SESSION)
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not a session token');
    return { hosts: [host(MINE)] };
  }
}

let app: NestExpressApplication;
let base: string;
let origin: string;

before(async () => {
  const root = await mkdtemp(join(tmpdir(), 'hostlink-web-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Hostlink</title>');
  await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  const web = { root, publicUrl: 'http://127.0.0.1:1', connectSources: ['ws://127.0.0.1:8200'] };
  ({ app, base } = await startGatewayTestApp(web, [FakeBroker]));
  // The page origin the events socket admits is the configured public URL's; here the test's own base.
  origin = 'http://127.0.0.1:1';
});

after(() => app.close());

describe('the web client page', () => {
  test('is served at / and for client routes, with a strict CSP and revalidation', async () => {
    for (const path of ['/', '/hosts/abc/files']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(await response.text(), /<title>Hostlink/);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:8200/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
    }
  });

  test('hashed assets are immutable; an ETag answers 304', async () => {
    const first = await fetch(`${base}/assets/app-1234.js`);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(first.headers.get('content-type') ?? '', /^text\/javascript/);
    const etag = first.headers.get('etag') ?? '';
    const again = await fetch(`${base}/assets/app-1234.js`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  test('API paths, missing assets and climbing paths never get the page', async () => {
    assert.equal((await fetch(`${base}/api/v1/nothing`)).status, 404);
    assert.equal((await fetch(`${base}/assets/missing.js`)).status, 404);
    assert.equal((await fetch(`${base}/assets/%2e%2e/%2e%2e/etc/passwd.js`)).status, 404);
  });
});

describe('live host events', () => {
  const events = ApiPath.events;
  const open = (headers: Record<string, string>) =>
    new WebSocket(`${base.replace('http', 'ws')}${events}`, { headers });

  test('an upgrade from another origin, or with none, is refused with 403', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
      const status = await new Promise<number>((resolve) => {
        const socket = open(headers);
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('open', () => resolve(101));
        socket.once('error', () => resolve(-1));
      });
      assert.equal(status, 403);
    }
  });

  test('after the session token, only the user’s hosts’ changes are pushed', async () => {
    const socket = open({ origin });
    const received: HostEvent[] = [];
    const ready = new Promise<void>((resolve) =>
      socket.on('message', (data: Buffer) => {
        const event = HostEvent.parse(JSON.parse(data.toString('utf8')));
        received.push(event);
        if (event.type === 'ready') resolve();
      }),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'auth', sessionToken: SESSION }));
    await ready;
    const bus = app.get(BusClient);
    const change = (hostId: string): PresenceChanged => ({
      eventId: randomUUID(),
      hostId,
      online: true,
      pollId: 'p',
      at: new Date().toISOString(),
    });
    await bus.emit(Subject.presenceChanged, change(THEIRS));
    await bus.emit(Subject.presenceChanged, change(MINE));
    await waitFor(() => received.some((event) => event.type === 'presence'));
    const pushed = received.filter((event) => event.type === 'presence');
    assert.deepEqual(
      pushed.map((event) => event.hostId),
      [MINE],
    );
    socket.close();
  });

  test('a bad session token gets an error and the socket is closed', async () => {
    const socket = open({ origin });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'auth', sessionToken: 'nope' }));
    const code = await new Promise<number>((resolve) =>
      socket.once('close', (closeCode) => resolve(closeCode)),
    );
    assert.equal(code, 4401);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
