import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  Audience,
  ErrorCode,
  Jwks,
  Lifetime,
  ListHostsResponse,
  OpaquePrefix,
  SessionResponse,
  Subject,
  TokenKind,
} from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import {
  BROKER_ISSUER,
  type BrokerTestApp,
  type Identity,
  startBrokerTestApp,
} from '../testing/broker-test.app.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('session exchange', () => {
  let app: BrokerTestApp;
  let alice: Identity;
  const exchange = (accessToken: string) =>
    app.bus.request(Subject.brokerCreateSession, { accessToken }, SessionResponse);
  const refused = (accessToken: string, why: RegExp = /not valid/) =>
    assert.rejects(
      exchange(accessToken),
      (error: unknown) => withCode(ErrorCode.Unauthenticated)(error) && why.test((error as Error).message),
    );

  before(async () => {
    app = await startBrokerTestApp();
    alice = await app.createUser('member');
  });
  after(() => app.close());

  test('a valid access token becomes a session token of its own kind and audience', async () => {
    const session = await exchange(await app.accessToken(alice));
    assert.deepEqual(session.user, {
      id: alice.userId,
      email: alice.email,
      accountId: alice.accountId,
      role: 'member',
    });
    const jwks = await app.bus.request(Subject.brokerJwks, {}, Jwks);
    const { payload, protectedHeader } = await jwtVerify(
      session.sessionToken,
      createLocalJWKSet(jwks as never),
      {
        algorithms: ['EdDSA'],
        currentDate: app.clock.now(),
      },
    );
    assert.equal(protectedHeader.typ, TokenKind.Session);
    assert.equal(payload.aud, Audience.Session);
    assert.equal(payload.iss, BROKER_ISSUER);
    assert.equal(payload.sub, alice.userId);
    const hosts = await app.bus.request(
      Subject.brokerListHosts,
      { sessionToken: session.sessionToken },
      ListHostsResponse,
    );
    assert.deepEqual(hosts.hosts, []);
  });

  test('alg none is refused', async () => {
    const [, body] = (await app.accessToken(alice)).split('.');
    await refused(`${b64({ alg: 'none', typ: TokenKind.Access, kid: app.fake.kid })}.${body}.`);
  });

  test('HS256 signed with the public key is refused', async () => {
    const [, body] = (await app.accessToken(alice)).split('.');
    for (const secret of [
      await exportSPKI(app.fake.publicKey),
      Buffer.from((await app.bus.request(Subject.authJwks, {}, Jwks)).keys[0]!.x as string, 'base64url'),
    ]) {
      const head = b64({ alg: 'HS256', typ: TokenKind.Access, kid: app.fake.kid });
      const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
      await refused(`${head}.${body}.${signature}`);
    }
  });

  test('unknown, missing and path-like kids are refused', async () => {
    await refused(await app.accessToken(alice, { kid: '00000000-0000-4000-8000-000000000000' }));
    await refused(await app.accessToken(alice, { kid: '../../../etc/passwd' }));
    await refused(await app.accessToken(alice, { kid: undefined }));
  });

  test('a key embedded in the header (jwk), a key URL (jku) and an empty signature are refused', async () => {
    const attacker = await generateKeyPair('EdDSA');
    const jwk = await exportJWK(attacker.publicKey);
    const signedByAttacker = (header: Record<string, unknown>) =>
      new SignJWT(decodeJwt(token))
        .setProtectedHeader({ alg: 'EdDSA', typ: TokenKind.Access, kid: app.fake.kid, ...header })
        .sign(attacker.privateKey);
    const token = await app.accessToken(alice);
    await refused(await signedByAttacker({ jwk }));
    await refused(await signedByAttacker({ jku: 'http://evil.test/jwks.json' }));
    await refused(await signedByAttacker({ x5u: 'http://evil.test/cert.pem' }));
    const [head, body] = token.split('.');
    await refused(`${head}.${body}.`);
  });

  test('every other token kind presented in place of an access token is refused', async () => {
    const { kid, key } = await app.keyRing.current();
    const now = Math.floor(app.clock.now().getTime() / 1000);
    const claims = { sub: alice.userId, acc: alice.accountId, email: alice.email, role: 'member' };
    const brokerToken = (typ: string, aud: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', typ, kid })
        .setIssuer(BROKER_ISSUER)
        .setAudience(aud)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(key);
    const { sessionToken } = await exchange(await app.accessToken(alice));
    await refused(sessionToken);
    await refused(await brokerToken(TokenKind.ConnectionGrant, Audience.grantFor(randomUUID())));
    await refused(await brokerToken(TokenKind.RelayTicket, Audience.ticketFor('relay-a')));
    // Signed by auth's key but of another kind: the typ and audience decide, not the key.
    await refused(
      await app.accessToken(alice, { typ: TokenKind.ConnectionGrant }, { aud: Audience.grantFor('h') }),
    );
    await refused(
      await app.accessToken(alice, { typ: TokenKind.RelayTicket }, { aud: Audience.ticketFor('r') }),
    );
    for (const opaque of [OpaquePrefix.Refresh, OpaquePrefix.Enrollment, OpaquePrefix.SignInCode])
      await assert.rejects(
        exchange(opaque + 'a'.repeat(43)),
        withCode(ErrorCode.BadRequest),
        `${opaque} is no JWT`,
      );
  });

  test('expired and not-yet-valid tokens are refused', async () => {
    const token = await app.accessToken(alice);
    app.clock.advance(301);
    await refused(token, /expired/);
    const now = Math.floor(app.clock.now().getTime() / 1000);
    await refused(await app.accessToken(alice, {}, { nbf: now + 120 }));
  });

  test('tampered signature, claims or header are refused', async () => {
    const [head, body, signature] = (await app.accessToken(alice)).split('.') as [string, string, string];
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    await refused(`${head}.${body}.${flipped}`);
    const forged = b64({
      ...(JSON.parse(Buffer.from(body, 'base64url').toString()) as object),
      role: 'admin',
    });
    await refused(`${head}.${forged}.${signature}`);
  });

  test('wrong typ, audience, issuer or claims are refused', async () => {
    await refused(await app.accessToken(alice, { typ: 'JWT' }));
    await refused(await app.accessToken(alice, { typ: TokenKind.Session }));
    await refused(await app.accessToken(alice, {}, { aud: Audience.Session }));
    await refused(await app.accessToken(alice, {}, { iss: 'http://evil.test' }));
    await refused(await app.accessToken(alice, {}, { role: 'root' }));
  });

  test('a session token is not an access token, nor an access token a session token', async () => {
    const { sessionToken } = await exchange(await app.accessToken(alice));
    await refused(sessionToken);
    const accessToken = await app.accessToken(alice);
    await assert.rejects(
      app.bus.request(Subject.brokerListHosts, { sessionToken: accessToken }, ListHostsResponse),
      withCode(ErrorCode.Unauthenticated),
    );
    await assert.rejects(
      exchange('hlr_' + 'a'.repeat(43)),
      withCode(ErrorCode.BadRequest),
      'a refresh token is not even a JWT',
    );
  });

  test('an expired session token is refused', async () => {
    const { sessionToken } = await exchange(await app.accessToken(alice));
    app.clock.advance(3601);
    await assert.rejects(
      app.bus.request(Subject.brokerListHosts, { sessionToken }, ListHostsResponse),
      withCode(ErrorCode.Unauthenticated),
    );
  });

  test('a session verified once still stops working the second it expires, and its look-alikes never work', async () => {
    const { sessionToken } = await exchange(await app.accessToken(alice));
    const listWith = (token: string) =>
      app.bus.request(Subject.brokerListHosts, { sessionToken: token }, ListHostsResponse);
    assert.deepEqual((await listWith(sessionToken)).hosts, [], 'verified, and remembered');
    const [header, payload, signature] = sessionToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const lookAlikes = [
      `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`,
      `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`,
      `${header}.${b64({ ...claims, exp: Number(claims['exp']) + 3600 })}.${signature}`,
      `${sessionToken}.`,
    ];
    for (const token of lookAlikes)
      await assert.rejects(listWith(token), (error: unknown) => error instanceof Error, token);
    app.clock.advance(Lifetime.sessionSeconds - 1);
    assert.deepEqual((await listWith(sessionToken)).hosts, []);
    app.clock.advance(1);
    await assert.rejects(listWith(sessionToken), withCode(ErrorCode.Unauthenticated));
    await assert.rejects(listWith(sessionToken), /expired/, 'and stays refused, saying why');
  });

  test('rotating broker keys signs nobody out: session tokens of the retired key work until they expire', async () => {
    const kid = (token: string) => decodeProtectedHeader(token).kid;
    const listWith = (sessionToken: string) =>
      app.bus.request(Subject.brokerListHosts, { sessionToken }, ListHostsResponse);
    const publishedKids = async () =>
      (await app.bus.request(Subject.brokerJwks, {}, Jwks)).keys.map((key) => key.kid);
    const old = (await exchange(await app.accessToken(alice))).sessionToken;

    await app.keyRing.rotate();
    const fresh = (await exchange(await app.accessToken(alice))).sessionToken;
    assert.notEqual(kid(fresh), kid(old));
    app.clock.advance(Lifetime.sessionSeconds - 1);
    assert.deepEqual((await listWith(old)).hosts, []);
    assert.deepEqual(await publishedKids(), [kid(fresh), kid(old)]);

    app.clock.advance(2);
    await assert.rejects(listWith(old), withCode(ErrorCode.Unauthenticated));
    assert.deepEqual(
      await publishedKids(),
      [kid(fresh)],
      'the retired key is unpublished once its tokens expired',
    );
    const later = (await exchange(await app.accessToken(alice))).sessionToken;
    assert.equal(kid(later), kid(fresh));
    assert.deepEqual((await listWith(later)).hosts, []);
  });
});
