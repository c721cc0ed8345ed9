import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { ErrorCode, HostlinkError, TokenKind } from '@hostlink/protocol';
import { createGrantSigner, type GrantSigner } from './grant.fixture.js';
import { GrantVerifier } from './grant-verifier.js';
import { hashHostPassword, verifyHostPassword } from './host-password.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { LoginService } from './login.service.js';

const code = (expected: string) => (error: unknown) =>
  error instanceof HostlinkError && error.code === expected;
const hostId = randomUUID();
const clientKey = randomBytes(32);
const cpk = clientKey.toString('base64url');

describe('GrantVerifier', () => {
  let signer: GrantSigner;
  let verifier: GrantVerifier;
  before(async () => {
    signer = await createGrantSigner();
    verifier = new GrantVerifier(hostId, signer.jwks);
  });

  it('accepts a good grant once, then refuses it as reused', async () => {
    const grant = await signer.sign({ hostId, cpk });
    const claims = await verifier.verify(grant, clientKey);
    assert.equal(claims.hid, hostId);
    await assert.rejects(verifier.verify(grant, clientKey), code(ErrorCode.TokenReused));
  });

  it('refuses a grant issued for another client key (not this channel)', async () => {
    const grant = await signer.sign({ hostId, cpk: randomBytes(32).toString('base64url') });
    await assert.rejects(verifier.verify(grant, clientKey), code(ErrorCode.TokenInvalid));
  });

  it('refuses a grant for another host', async () => {
    const other = randomUUID();
    await assert.rejects(
      verifier.verify(await signer.sign({ hostId: other, cpk }), clientKey),
      code(ErrorCode.TokenInvalid),
    );
    const wrongHid = await signer.sign({ hostId: other, cpk, aud: `hostlink:host:${hostId}` });
    await assert.rejects(verifier.verify(wrongHid, clientKey), code(ErrorCode.TokenInvalid));
  });

  it('refuses an expired grant', async () => {
    await assert.rejects(
      verifier.verify(await signer.sign({ hostId, cpk, expSeconds: -120 }), clientKey),
      code(ErrorCode.TokenExpired),
    );
  });

  it('refuses a token of another kind', async () => {
    const ticket = await signer.sign({ hostId, cpk, typ: TokenKind.RelayTicket });
    await assert.rejects(verifier.verify(ticket, clientKey), code(ErrorCode.TokenInvalid));
  });

  it('refuses alg none and a foreign signer', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: TokenKind.ConnectionGrant })).toString(
      'base64url',
    );
    const body = Buffer.from(
      JSON.stringify({ jti: 'x', sub: 'u', cpk, hid: hostId, exp: 9e9, aud: `hostlink:host:${hostId}` }),
    ).toString('base64url');
    await assert.rejects(verifier.verify(`${header}.${body}.`, clientKey), code(ErrorCode.TokenInvalid));
    const stranger = await createGrantSigner();
    await assert.rejects(
      verifier.verify(await stranger.sign({ hostId, cpk }), clientKey),
      code(ErrorCode.TokenInvalid),
    );
  });
});

describe('host password and rate limiting', () => {
  it('hashes with scrypt (never the plaintext) and verifies', async () => {
    const hash = await hashHostPassword('correct horse');
    assert.match(hash, /^scrypt\$/);
    assert.ok(!hash.includes('correct horse'));
    assert.equal(await verifyHostPassword('correct horse', hash), true);
    assert.equal(await verifyHostPassword('wrong', hash), false);
    assert.equal(await verifyHostPassword('x', 'garbage'), false);
  });

  it('locks logins for a growing time after repeated failures, and a success clears it', () => {
    let now = 0;
    const limiter = new LoginRateLimiter({ freeAttempts: 2, baseDelayMs: 1000, maxDelayMs: 4000 }, () => now);
    limiter.recordFailure();
    limiter.recordFailure();
    limiter.assertAllowed();
    limiter.recordFailure();
    assert.throws(() => limiter.assertAllowed(), code(ErrorCode.RateLimited));
    now += 1000;
    limiter.assertAllowed();
    limiter.recordFailure();
    now += 1500;
    assert.throws(
      () => limiter.assertAllowed(),
      (error: unknown) => error instanceof HostlinkError && error.retryAfterSeconds === 1,
    );
    now += 10_000;
    limiter.recordSuccess();
    limiter.recordFailure();
    limiter.assertAllowed();
  });

  it('refuses wrong passwords, then rate-limits even the right one', async () => {
    const signer = await createGrantSigner();
    const service = new LoginService(
      new GrantVerifier(hostId, signer.jwks),
      new LoginRateLimiter({ freeAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 }),
      await hashHostPassword('right'),
    );
    const attempt = async (password: string) =>
      service.login({ grant: await signer.sign({ hostId, cpk }), password, channelRemoteStatic: clientKey });
    for (let i = 0; i < 3; i++) await assert.rejects(attempt('wrong'), code(ErrorCode.InvalidCredentials));
    await assert.rejects(attempt('right'), code(ErrorCode.RateLimited));
  });
});
