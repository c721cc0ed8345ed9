import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainRpcFilter } from '@hostlink/bus';
import { currentCorrelationId } from '@hostlink/observability';
import {
  ApiPath,
  ErrorCode,
  HostlinkError,
  OpsPath,
  PasswordGrantRequest,
  Subject,
} from '@hostlink/protocol';
import { startGatewayTestApp } from './testing/gateway-test.app.js';

const jwt = (name: string) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(name).toString('base64url')}.c2ln`;
const ACCESS = jwt('access');
const SESSION = jwt('session');
const EXPLODING = jwt('explode');
const HOST_ID = randomUUID();
const KEY = 'A'.repeat(43);
const tokens = { accessToken: ACCESS, tokenType: 'Bearer', expiresIn: 300, refreshToken: 'hlr_next' };
const user = { id: randomUUID(), email: 'ada@example.com', accountId: randomUUID(), role: 'admin' };

/** Stands in for auth and broker on the bus, with the same contracts. */
@Controller()
@UseFilters(DomainRpcFilter)
class FakeServices {
  static passwordGrants: unknown[] = [];
  static removedHosts: string[] = [];
  static connectCorrelationIds: (string | undefined)[] = [];

  @MessagePattern(Subject.authPasswordGrant)
  password(payload: unknown) {
    const request = PasswordGrantRequest.parse(payload);
    FakeServices.passwordGrants.push(payload);
    if (request.email === 'slow@example.com') throw new HostlinkError(ErrorCode.RateLimited, 'slow down', 30);
    if (request.email !== 'ada@example.com' || request.password !== 'correct horse') {
      throw new HostlinkError(ErrorCode.InvalidCredentials, 'wrong email or password');
    }
    return tokens;
  }

  @MessagePattern(Subject.authRefreshGrant)
  refresh(payload: { refreshToken: string }) {
    if (payload.refreshToken !== 'hlr_good')
      throw new HostlinkError(ErrorCode.TokenReused, 'refresh token reused');
    return tokens;
  }

  @MessagePattern(Subject.authSignOut)
  signOut() {
    return {};
  }

  @MessagePattern(Subject.authJwks)
  authJwks() {
    return { keys: [{ kty: 'OKP', crv: 'Ed25519', x: KEY, kid: 'a1' }] };
  }

  @MessagePattern(Subject.brokerJwks)
  brokerJwks() {
    return { keys: [] };
  }

  @MessagePattern(Subject.brokerCreateSession)
  session(payload: { accessToken: string }) {
    if (payload.accessToken !== ACCESS)
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not an access token');
    return { sessionToken: SESSION, expiresIn: 3600, user };
  }

  @MessagePattern(Subject.brokerListHosts)
  hosts(payload: { sessionToken: string }) {
    if (payload.sessionToken === EXPLODING) throw new Error('database password=hunter2 leaked');
    if (payload.sessionToken !== SESSION)
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not a session token');
    return { hosts: [] };
  }

  @MessagePattern(Subject.brokerCreateEnrollment)
  enrollment() {
    return { token: 'hle_x', expiresAt: new Date().toISOString() };
  }

  @MessagePattern(Subject.brokerRegisterHost)
  register() {
    return {
      hostId: HOST_ID,
      accountId: user.accountId,
      brokerKeys: { keys: [] },
      pollUrl: 'ws://127.0.0.1:8201/agent',
    };
  }

  @MessagePattern(Subject.brokerRemoveHost)
  removeHost(payload: { sessionToken: string; hostId: string }) {
    if (payload.sessionToken !== SESSION)
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not a session token');
    if (payload.hostId !== HOST_ID) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
    FakeServices.removedHosts.push(payload.hostId);
    return { removed: true };
  }

  @MessagePattern(Subject.brokerConnect)
  connect(payload: { hostId: string }) {
    FakeServices.connectCorrelationIds.push(currentCorrelationId());
    const policy = {
      network: 'unrestricted',
      saveHostPassword: false,
      clipboard: true,
      download: true,
      upload: true,
    };
    return { hostId: payload.hostId, hostPublicKey: KEY, grant: 'g', relay: null, direct: [], policy };
  }
}

let app: NestExpressApplication;
let base: string;

before(async () => {
  ({ app, base } = await startGatewayTestApp({ publicUrl: 'http://gateway.test', connectSources: [] }, [
    FakeServices,
  ]));
});

after(() => app.close());

interface Sent {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function send(
  path: string,
  init: { method?: string; body?: string; type?: string; bearer?: string; requestId?: string } = {},
): Promise<Sent> {
  const headers: Record<string, string> = {};
  if (init.requestId !== undefined) headers['x-request-id'] = init.requestId;
  if (init.type) headers['content-type'] = init.type;
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

const form = (values: Record<string, string>) => ({
  body: new URLSearchParams(values).toString(),
  type: 'application/x-www-form-urlencoded',
});
const json = (value: unknown) => ({ body: JSON.stringify(value), type: 'application/json' });

describe('OAuth token endpoint', () => {
  test('password grant from a form answers RFC 6749 fields, uncached, with security headers', async () => {
    const sent = await send(
      ApiPath.token,
      form({ grant_type: 'password', username: 'Ada@Example.com', password: 'correct horse' }),
    );
    assert.equal(sent.status, 200);
    assert.deepEqual(sent.body, {
      access_token: ACCESS,
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: 'hlr_next',
    });
    assert.equal(sent.headers.get('cache-control'), 'no-store');
    assert.equal(sent.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(sent.headers.get('x-frame-options'), 'DENY');
    assert.equal(sent.headers.get('x-powered-by'), null);
    assert.equal(
      (FakeServices.passwordGrants.at(-1) as { clientAddress?: string }).clientAddress,
      '127.0.0.1',
    );
  });

  test('password grant as JSON with email', async () => {
    const sent = await send(
      ApiPath.token,
      json({ grant_type: 'password', email: 'ada@example.com', password: 'correct horse' }),
    );
    assert.equal(sent.status, 200);
    assert.equal(sent.body.access_token, ACCESS);
  });

  test('wrong password is invalid_grant with our code', async () => {
    const sent = await send(
      ApiPath.token,
      form({ grant_type: 'password', username: 'ada@example.com', password: 'nope' }),
    );
    assert.equal(sent.status, 400);
    assert.equal(sent.body.error, 'invalid_grant');
    assert.equal(sent.body.code, ErrorCode.InvalidCredentials);
    assert.equal(typeof sent.body.error_description, 'string');
  });

  test('rate limiting carries Retry-After', async () => {
    const sent = await send(
      ApiPath.token,
      form({ grant_type: 'password', username: 'slow@example.com', password: 'x' }),
    );
    assert.equal(sent.status, 429);
    assert.equal(sent.headers.get('retry-after'), '30');
    assert.equal(sent.body.code, ErrorCode.RateLimited);
  });

  test('refresh grant, and a reused refresh token', async () => {
    assert.equal(
      (await send(ApiPath.token, form({ grant_type: 'refresh_token', refresh_token: 'hlr_good' }))).status,
      200,
    );
    const reused = await send(ApiPath.token, form({ grant_type: 'refresh_token', refresh_token: 'hlr_old' }));
    assert.equal(reused.status, 400);
    assert.deepEqual([reused.body.error, reused.body.code], ['invalid_grant', ErrorCode.TokenReused]);
  });

  test('unknown, missing and incomplete grants', async () => {
    const unknown = await send(ApiPath.token, form({ grant_type: 'client_credentials' }));
    assert.deepEqual([unknown.status, unknown.body.error], [400, 'unsupported_grant_type']);
    const missing = await send(ApiPath.token, form({ username: 'a' }));
    assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);
    const noUser = await send(ApiPath.token, form({ grant_type: 'password', password: 'x' }));
    assert.deepEqual([noUser.status, noUser.body.error], [400, 'invalid_request']);
    const empty = await send(ApiPath.token, { method: 'POST' });
    assert.deepEqual([empty.status, empty.body.error], [400, 'invalid_request']);
  });

  test('revoke answers 200 and needs a token', async () => {
    assert.equal((await send('/oauth/revoke', form({ token: 'hlr_whatever' }))).status, 200);
    assert.equal((await send('/oauth/revoke', form({}))).status, 400);
  });

  test('JWKS is published', async () => {
    const sent = await send(ApiPath.jwks);
    assert.equal(sent.status, 200);
    assert.equal((sent.body.keys as unknown[]).length, 1);
  });
});

describe('API', () => {
  test('session needs a bearer access token', async () => {
    assert.deepEqual((await send(ApiPath.session, { method: 'POST' })).body.code, ErrorCode.Unauthenticated);
    const malformed = await send(ApiPath.session, { method: 'POST', bearer: 'not a jwt' });
    assert.deepEqual([malformed.status, malformed.body.code], [401, ErrorCode.Unauthenticated]);
    const wrongKind = await send(ApiPath.session, { method: 'POST', bearer: SESSION });
    assert.deepEqual([wrongKind.status, wrongKind.body.code], [401, ErrorCode.TokenInvalid]);
    const sent = await send(ApiPath.session, { method: 'POST', bearer: ACCESS });
    assert.equal(sent.status, 200);
    assert.equal(sent.body.sessionToken, SESSION);
  });

  test('hosts and enrollment tokens with a session', async () => {
    const listed = await send(ApiPath.hosts, { bearer: SESSION });
    assert.deepEqual(listed.body, { hosts: [] });
    assert.deepEqual(
      [listed.headers.get('cache-control'), listed.headers.get('etag')],
      ['no-store', null],
      'API answers are never cached, so no ETag is computed over their bodies',
    );
    assert.equal((await send(ApiPath.hosts)).status, 401);
    const enrollment = await send(ApiPath.enrollmentTokens, { method: 'POST', bearer: SESSION });
    assert.equal(enrollment.status, 201);
    assert.equal(enrollment.body.token, 'hle_x');
  });

  test('an unexpected failure shows only an error id', async () => {
    const sent = await send(ApiPath.hosts, { bearer: EXPLODING });
    assert.equal(sent.status, 500);
    assert.equal(sent.body.code, ErrorCode.Internal);
    assert.doesNotMatch(JSON.stringify(sent.body), /hunter2|database/);
  });

  test('agent registration validates its body', async () => {
    const valid = { enrollmentToken: 'hle_x', name: 'Desk', os: 'linux', publicKey: KEY };
    const sent = await send(ApiPath.registerAgent, json(valid));
    assert.equal(sent.status, 201);
    assert.equal(sent.body.hostId, HOST_ID);
    const bad = await send(ApiPath.registerAgent, json({ ...valid, name: 'evil\u202ename' }));
    assert.deepEqual([bad.status, bad.body.code], [400, ErrorCode.BadRequest]);
  });

  test('connect takes the client key and a host id', async () => {
    const sent = await send(ApiPath.connect(HOST_ID), { ...json({ clientPublicKey: KEY }), bearer: SESSION });
    assert.equal(sent.status, 200);
    assert.equal(sent.body.hostId, HOST_ID);
    assert.equal(
      (await send(ApiPath.connect(HOST_ID), { ...json({ clientPublicKey: 'short' }), bearer: SESSION }))
        .status,
      400,
    );
    assert.equal(
      (await send(ApiPath.connect('../admin'), { ...json({ clientPublicKey: KEY }), bearer: SESSION }))
        .status,
      400,
    );
  });

  test('relays to avoid are passed on only when they are a short list of relay ids', async () => {
    const connect = (avoidRelayIds: unknown) =>
      send(ApiPath.connect(HOST_ID), { ...json({ clientPublicKey: KEY, avoidRelayIds }), bearer: SESSION });
    assert.equal((await connect(['relay-0', 'relay_1'])).status, 200);
    for (const hostile of [['a.b'], ['*'], ['x'.repeat(129)], Array(9).fill('r'), 'relay-0', [{}]]) {
      const sent = await connect(hostile);
      assert.deepEqual([sent.status, sent.body.code], [400, ErrorCode.BadRequest], JSON.stringify(hostile));
    }
  });

  test('removing a host answers 204 without a body, and needs a session and a well-formed id', async () => {
    const removed = await send(ApiPath.host(HOST_ID), { method: 'DELETE', bearer: SESSION });
    assert.deepEqual([removed.status, removed.body], [204, {}]);
    assert.deepEqual(FakeServices.removedHosts, [HOST_ID]);
    const unknown = await send(ApiPath.host(randomUUID()), { method: 'DELETE', bearer: SESSION });
    assert.deepEqual([unknown.status, unknown.body.code], [404, ErrorCode.NotFound]);
    assert.equal((await send(ApiPath.host(HOST_ID), { method: 'DELETE' })).status, 401);
    const wrongToken = await send(ApiPath.host(HOST_ID), { method: 'DELETE', bearer: ACCESS });
    assert.deepEqual([wrongToken.status, wrongToken.body.code], [401, ErrorCode.TokenInvalid]);
    const malformed = await send(ApiPath.host('../admin'), { method: 'DELETE', bearer: SESSION });
    assert.deepEqual([malformed.status, malformed.body.code], [400, ErrorCode.BadRequest]);
    assert.deepEqual(FakeServices.removedHosts, [HOST_ID]);
  });

  test('the ops endpoints answer on the main port: live, ready with the bus, auth and broker, metrics', async () => {
    assert.deepEqual(await send(OpsPath.live).then((sent) => [sent.status, sent.body]), [
      200,
      { status: 'live' },
    ]);
    const ready = await send(OpsPath.ready);
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, {
      status: 'ready',
      checks: { 'in-process': 'up', auth: 'up', broker: 'up' },
    });
    const metrics = await fetch(`${base}${OpsPath.metrics}`);
    assert.equal(metrics.status, 200);
    assert.match(
      await metrics.text(),
      /^hostlink_bus_request_duration_seconds_count\{subject="broker\.jwks\.v1"\} \d+$/m,
    );
  });

  test("the caller's X-Request-Id follows the request to the broker and comes back; a hostile one is replaced", async () => {
    FakeServices.connectCorrelationIds.length = 0;
    const connect = (requestId: string) =>
      send(ApiPath.connect(HOST_ID), { ...json({ clientPublicKey: KEY }), bearer: SESSION, requestId });
    const kept = await connect('trace-7f3a.01:x');
    assert.equal(kept.status, 200);
    assert.equal(kept.headers.get('x-request-id'), 'trace-7f3a.01:x');
    const replaced = await connect('<script>alert(1)</script>');
    const fresh = replaced.headers.get('x-request-id') ?? '';
    assert.match(fresh, /^[0-9a-f-]{36}$/);
    assert.deepEqual(FakeServices.connectCorrelationIds, ['trace-7f3a.01:x', fresh]);
    const unnamed = await send(OpsPath.live);
    assert.match(unnamed.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('connections', () => {
  test("an idle keep-alive connection is still open after Node's 5 s default, so a client reusing it is answered", async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const answers = () => received.match(/^HTTP\/1\.1 200/gm)?.length ?? 0;
    const ask = () => socket.write(`GET ${OpsPath.live} HTTP/1.1\r\nhost: test\r\n\r\n`);
    try {
      ask();
      await waitFor(() => answers() === 1);
      assert.match(received, /^keep-alive: timeout=65$/im);
      await delay(5_500);
      assert.equal(socket.readyState, 'open', 'the gateway closed an idle connection after 5 s');
      ask();
      await waitFor(() => answers() === 2);
    } finally {
      socket.destroy();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('no answer within 5 s');
    await delay(10);
  }
}

describe('hostile requests', () => {
  test('a body over the limit', async () => {
    const sent = await send(ApiPath.registerAgent, json({ pad: 'x'.repeat(64 * 1024) }));
    assert.deepEqual([sent.status, sent.body.code], [400, ErrorCode.BadRequest]);
  });

  test('malformed JSON', async () => {
    const sent = await send(ApiPath.registerAgent, { body: '{"enrollmentToken":', type: 'application/json' });
    assert.deepEqual([sent.status, sent.body.code], [400, ErrorCode.BadRequest]);
  });

  test('a form where JSON is expected', async () => {
    const sent = await send(ApiPath.registerAgent, form({ enrollmentToken: 'hle_x' }));
    assert.deepEqual([sent.status, sent.body.code], [400, ErrorCode.BadRequest]);
  });

  test('text on the token endpoint', async () => {
    const sent = await send(ApiPath.token, { body: 'grant_type=password', type: 'text/plain' });
    assert.equal(sent.status, 400);
  });

  test('a JSON array and a prototype-polluting object', async () => {
    assert.equal((await send(ApiPath.registerAgent, json([1, 2]))).status, 400);
    const sent = await send(ApiPath.registerAgent, {
      body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
      type: 'application/json',
    });
    assert.equal(sent.status, 400);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  test('an unknown route is a JSON 404', async () => {
    const sent = await send('/api/v1/nothing-here');
    assert.deepEqual([sent.status, sent.body.code], [404, ErrorCode.NotFound]);
  });
});
