import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BootstrapAdminResponse, ErrorCode, Subject, TokenResponse } from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { type AuthTestApp, startAuthTestApp } from '../testing/auth-test.app.js';

describe('refresh tokens', () => {
  let app: AuthTestApp;
  let password: string;
  const signIn = () =>
    app.bus.request(Subject.authPasswordGrant, { email: 'root@example.com', password }, TokenResponse);
  const refresh = (refreshToken: string) =>
    app.bus.request(Subject.authRefreshGrant, { refreshToken }, TokenResponse);

  before(async () => {
    app = await startAuthTestApp();
    const admin = await app.bus.request(
      Subject.authBootstrapAdmin,
      { email: 'root@example.com' },
      BootstrapAdminResponse,
    );
    password = admin.generatedPassword!;
    assert.ok(password.length >= 24);
  });
  after(() => app.close());

  test('rotate on every use', async () => {
    const first = await signIn();
    const second = await refresh(first.refreshToken);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.notEqual(second.accessToken, first.accessToken);
    const third = await refresh(second.refreshToken);
    assert.ok(third.refreshToken.startsWith('hlr_'));
  });

  test('presenting a used token is reuse and revokes the whole family', async () => {
    const first = await signIn();
    const second = await refresh(first.refreshToken);
    await assert.rejects(refresh(first.refreshToken), withCode(ErrorCode.TokenReused));
    await assert.rejects(refresh(second.refreshToken), withCode(ErrorCode.TokenInvalid));
    assert.ok((await signIn()).refreshToken, 'other sign-ins are unaffected');
  });

  test('two concurrent refreshes with one token: one wins, the other is reuse, and the family is revoked', async () => {
    const first = await signIn();
    const outcomes = await Promise.allSettled([refresh(first.refreshToken), refresh(first.refreshToken)]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(withCode(ErrorCode.TokenReused)(lost[0]!.reason));
    await assert.rejects(refresh(won[0]!.value.refreshToken), withCode(ErrorCode.TokenInvalid));
  });

  test('sign-out revokes the family and answers the same for unknown tokens', async () => {
    const first = await signIn();
    const second = await refresh(first.refreshToken);
    assert.deepEqual(
      await app.bus.request(
        Subject.authSignOut,
        { refreshToken: first.refreshToken },
        TokenResponse.partial(),
      ),
      {},
    );
    await assert.rejects(refresh(second.refreshToken), withCode(ErrorCode.TokenInvalid));
    assert.deepEqual(
      await app.bus.request(Subject.authSignOut, { refreshToken: 'hlr_unknown' }, TokenResponse.partial()),
      {},
    );
  });

  test('an expired token is refused as expired; a token of another kind as invalid', async () => {
    const first = await signIn();
    app.clock.advance(31 * 24 * 3600);
    await assert.rejects(refresh(first.refreshToken), withCode(ErrorCode.TokenExpired));
    await assert.rejects(refresh('hle_' + first.refreshToken.slice(4)), withCode(ErrorCode.TokenInvalid));
    await assert.rejects(refresh(first.accessToken), withCode(ErrorCode.TokenInvalid));
  });
});
