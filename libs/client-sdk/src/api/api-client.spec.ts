import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy, ErrorCode, HostlinkError } from '@hostlink/protocol';
import { ApiClient, type FetchLike } from './api-client.js';

const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): FetchLike =>
  () =>
    Promise.resolve(new Response(JSON.stringify(body), { status, headers }));

const isCode = (code: string, retry?: number) => (error: unknown) =>
  error instanceof HostlinkError &&
  error.code === code &&
  (retry === undefined || error.retryAfterSeconds === retry);

describe('ApiClient', () => {
  it('sends an OAuth form and accepts snake_case tokens', async () => {
    let sent: RequestInit | undefined;
    const api = new ApiClient('http://server/', (_url, init) => {
      sent = init;
      return Promise.resolve(
        Response.json({ access_token: 'a', token_type: 'Bearer', expires_in: 300, refresh_token: 'r' }),
      );
    });
    assert.deepEqual(await api.passwordGrant('me@example.com', 'pw'), {
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 300,
    });
    assert.equal(new URLSearchParams(sent?.body as string).get('grant_type'), 'password');
    assert.equal(api.baseUrl, 'http://server');
  });

  it('maps protocol error bodies, OAuth errors and bare statuses to HostlinkError', async () => {
    await assert.rejects(
      new ApiClient(
        'http://s',
        reply(429, { code: 'rate_limited', message: 'slow down', retryAfterSeconds: 7 }),
      ).listHosts('t'),
      isCode(ErrorCode.RateLimited, 7),
    );
    await assert.rejects(
      new ApiClient(
        'http://s',
        reply(400, { error: 'invalid_grant', error_description: 'bad' }),
      ).passwordGrant('a@b.c', 'x'),
      isCode(ErrorCode.InvalidCredentials),
    );
    await assert.rejects(
      new ApiClient('http://s', reply(404, 'nope')).listHosts('t'),
      isCode(ErrorCode.NotFound),
    );
  });

  it('validates successful replies and reports an unreachable server', async () => {
    await assert.rejects(
      new ApiClient('http://s', reply(200, { hosts: 'not a list' })).listHosts('t'),
      isCode(ErrorCode.BadRequest),
    );
    const down = new ApiClient('http://127.0.0.1:1', () =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
    );
    await assert.rejects(
      down.listHosts('t'),
      (error: unknown) =>
        isCode(ErrorCode.Unavailable)(error) && /ECONNREFUSED/.test((error as Error).message),
    );
  });

  it('removes a host with DELETE on its escaped path and maps not_found', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const api = new ApiClient('http://s', (url, init) => {
      sent.push({ url, init });
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    await api.removeHost('t', 'a/b');
    assert.equal(sent[0]?.url, 'http://s/api/v1/hosts/a%2Fb');
    assert.equal(sent[0]?.init.method, 'DELETE');
    assert.equal((sent[0]?.init.headers as Record<string, string>).authorization, 'Bearer t');
    await assert.rejects(
      new ApiClient('http://s', reply(404, { code: 'not_found', message: 'no such host' })).removeHost(
        't',
        'x',
      ),
      isCode(ErrorCode.NotFound),
    );
  });
  it('names the relays to avoid in a connect request only when there are some', async () => {
    const bodies: unknown[] = [];
    const offer = {
      hostId: '00000000-0000-4000-8000-000000000000',
      hostPublicKey: 'A'.repeat(43),
      grant: 'g',
      relay: null,
      direct: [],
      policy: defaultPolicy,
    };
    const api = new ApiClient('http://s', (_url, init) => {
      bodies.push(JSON.parse(init.body as string));
      return Promise.resolve(Response.json(offer));
    });
    await api.connect('t', offer.hostId, 'k');
    await api.connect('t', offer.hostId, 'k', ['relay-1']);
    assert.deepEqual(bodies, [
      { clientPublicKey: 'k' },
      { clientPublicKey: 'k', avoidRelayIds: ['relay-1'] },
    ]);
  });
});
