import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Audience,
  BootstrapAdminResponse,
  Jwks,
  Lifetime,
  Subject,
  TokenKind,
  TokenResponse,
} from '@hostlink/protocol';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { type AuthTestApp, startAuthTestApp, TEST_ISSUER } from '../testing/auth-test.app.js';

let app: AuthTestApp;
before(async () => {
  app = await startAuthTestApp();
});
after(() => app.close());

test('rotating auth keys signs nobody out: the retired key verifies its access tokens until they expire', async () => {
  const { generatedPassword } = await app.bus.request(
    Subject.authBootstrapAdmin,
    { email: 'root@example.com' },
    BootstrapAdminResponse,
  );
  const signIn = () =>
    app.bus.request(
      Subject.authPasswordGrant,
      { email: 'root@example.com', password: generatedPassword! },
      TokenResponse,
    );
  const verifyWithPublishedKeys = async (accessToken: string) =>
    jwtVerify(accessToken, createLocalJWKSet((await app.bus.request(Subject.authJwks, {}, Jwks)) as never), {
      algorithms: ['EdDSA'],
      typ: TokenKind.Access,
      audience: Audience.Access,
      issuer: TEST_ISSUER,
      currentDate: app.clock.now(),
    });
  const before = await signIn();

  await app.keyRing.rotate();
  const afterRotation = await signIn();
  assert.notEqual(
    decodeProtectedHeader(afterRotation.accessToken).kid,
    decodeProtectedHeader(before.accessToken).kid,
  );
  assert.equal((await app.bus.request(Subject.authJwks, {}, Jwks)).keys.length, 2);
  app.clock.advance(Lifetime.accessSeconds - 1);
  assert.equal((await verifyWithPublishedKeys(before.accessToken)).payload.email, 'root@example.com');

  app.clock.advance(2);
  await assert.rejects(verifyWithPublishedKeys(before.accessToken), /exp|no applicable key/);
  const published = (await app.bus.request(Subject.authJwks, {}, Jwks)).keys;
  assert.deepEqual(
    published.map((key) => key.kid),
    [decodeProtectedHeader(afterRotation.accessToken).kid],
    'the retired key is unpublished once its last access token has expired',
  );
  assert.ok((await verifyWithPublishedKeys((await signIn()).accessToken)).payload.sub);
});
