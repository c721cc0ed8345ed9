import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { AuditEvent, User } from '@hostlink/persistence';
import {
  Audience,
  BootstrapAdminResponse,
  ErrorCode,
  HostlinkError,
  Jwks,
  Subject,
  TokenKind,
  TokenResponse,
} from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { type AuthTestApp, startAuthTestApp, TEST_ISSUER } from '../testing/auth-test.app.js';

const EMAIL = 'Admin@Example.com';
const PASSWORD = 'correct horse battery staple';

describe('password sign-in and first-run bootstrap', () => {
  let app: AuthTestApp;
  const signIn = (email: string, password: string, clientAddress?: string) =>
    app.bus.request(
      Subject.authPasswordGrant,
      { email, password, ...(clientAddress ? { clientAddress } : {}) },
      TokenResponse,
    );

  before(async () => {
    app = await startAuthTestApp();
  });
  after(() => app.close());

  test('bootstrap creates the first admin once and is idempotent afterwards', async () => {
    await assert.rejects(
      app.bus.request(
        Subject.authBootstrapAdmin,
        { email: EMAIL, password: 'short' },
        BootstrapAdminResponse,
      ),
      withCode(ErrorCode.BadRequest),
    );
    const first = await app.bus.request(
      Subject.authBootstrapAdmin,
      { email: EMAIL, password: PASSWORD },
      BootstrapAdminResponse,
    );
    assert.deepEqual(first, { created: true, email: 'admin@example.com' });
    const again = await app.bus.request(
      Subject.authBootstrapAdmin,
      { email: 'other@example.com' },
      BootstrapAdminResponse,
    );
    assert.deepEqual(again, { created: false, email: 'other@example.com' });
  });

  test('the right password yields an at+jwt access token that verifies with the published JWKS', async () => {
    const tokens = await signIn(EMAIL, PASSWORD, '203.0.113.9');
    assert.ok(tokens.refreshToken.startsWith('hlr_'));
    const jwks = await app.bus.request(Subject.authJwks, {}, Jwks);
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.d, undefined, 'the JWKS must not carry the private part');
    const { payload, protectedHeader } = await jwtVerify(
      tokens.accessToken,
      createLocalJWKSet(jwks as never),
      {
        algorithms: ['EdDSA'],
        typ: TokenKind.Access,
        audience: Audience.Access,
        issuer: TEST_ISSUER,
        currentDate: app.clock.now(),
      },
    );
    assert.equal(protectedHeader.kid, jwks.keys[0]?.kid);
    assert.equal(payload.email, 'admin@example.com');
    assert.equal(payload.role, 'admin');
    assert.equal(typeof payload.acc, 'string');
    assert.equal(typeof payload.jti, 'string');
    assert.equal(payload.exp! - payload.iat!, 300);
    assert.equal(tokens.expiresIn, 300);
  });

  test('a wrong password and an unknown email fail alike and are audited', async () => {
    await assert.rejects(signIn(EMAIL, 'wrong password'), withCode(ErrorCode.InvalidCredentials));
    await assert.rejects(signIn('nobody@example.com', PASSWORD), withCode(ErrorCode.InvalidCredentials));
    const failures = await app.dataSource
      .getRepository(AuditEvent)
      .findBy({ outcome: 'failure', action: 'auth.sign-in.password' });
    assert.deepEqual(failures.map((event) => event.actor).sort(), [
      'email:admin@example.com',
      'email:nobody@example.com',
    ]);
    assert.ok(failures.find((event) => event.actor === 'email:admin@example.com')?.accountId);
    await signIn(EMAIL, PASSWORD); // a success clears the email's failures for the next test
  });

  test('repeated failures for one email are rate limited with a growing delay, even for the right password', async () => {
    for (let attempt = 1; attempt <= 6; attempt++)
      await assert.rejects(signIn(EMAIL, `wrong ${attempt}`), withCode(ErrorCode.InvalidCredentials));
    const limited = await signIn(EMAIL, PASSWORD).then(
      () => assert.fail('expected rate_limited'),
      (error: unknown) => error as HostlinkError,
    );
    assert.equal(limited.code, ErrorCode.RateLimited);
    assert.equal(limited.retryAfterSeconds, 1);
    app.clock.advance(2);
    await assert.rejects(signIn(EMAIL, 'wrong 7'), withCode(ErrorCode.InvalidCredentials));
    await assert.rejects(
      signIn(EMAIL, PASSWORD),
      (error: unknown) => error instanceof HostlinkError && error.retryAfterSeconds === 2,
    );
    app.clock.advance(3);
    assert.ok((await signIn(EMAIL, PASSWORD)).accessToken);
  });

  test('one client address trying many emails is rate limited for every email', async () => {
    const address = '198.51.100.7';
    for (let attempt = 1; attempt <= 21; attempt++) {
      await assert.rejects(
        signIn(`guess${attempt}@example.com`, 'x'.repeat(8), address),
        withCode(ErrorCode.InvalidCredentials),
      );
    }
    await assert.rejects(signIn(EMAIL, PASSWORD, address), withCode(ErrorCode.RateLimited));
    assert.ok((await signIn(EMAIL, PASSWORD, '198.51.100.8')).accessToken, 'another address is not affected');
  });

  test('rate-limited attempts are audited too', async () => {
    const limited = await app.dataSource
      .getRepository(AuditEvent)
      .findBy({ outcome: 'failure', action: 'auth.sign-in.password' });
    assert.ok(limited.some((event) => (event.detail as { rateLimited?: boolean }).rateLimited === true));
  });

  test("password spraying over one account's users, from many addresses, slows down the whole account", async () => {
    const { accountId } = await app.dataSource
      .getRepository(User)
      .findOneByOrFail({ email: 'admin@example.com' });
    const users = Array.from({ length: 8 }, (_, index) => ({
      id: randomUUID(),
      accountId,
      email: `sprayed${index}@example.com`,
      role: 'member' as const,
      createdAt: app.clock.now(),
    }));
    await app.dataSource.getRepository(User).insert(users);
    app.clock.advance(16 * 60); // earlier tests' failures are out of the window
    for (let attempt = 0; attempt < 31; attempt++) {
      const user = users[attempt % users.length]!;
      await assert.rejects(
        signIn(user.email, `guess ${attempt}`, `203.0.113.${attempt}`),
        (error: unknown) =>
          error instanceof HostlinkError &&
          (error.code === ErrorCode.InvalidCredentials || error.code === ErrorCode.RateLimited),
      );
    }
    await assert.rejects(signIn(EMAIL, PASSWORD, '192.0.2.200'), withCode(ErrorCode.RateLimited));
    app.clock.advance(2);
    assert.ok((await signIn(EMAIL, PASSWORD, '192.0.2.201')).accessToken, 'a growing delay, not a lockout');
  });
});
