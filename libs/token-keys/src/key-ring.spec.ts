import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, type SigningKeyOwner } from '@hostlink/persistence';
import { Audience, TokenKind } from '@hostlink/protocol';
import { TestClock } from '@hostlink/testing';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { KeyRing } from './key-ring.service.js';
import { TokenKeysModule } from './token-keys.module.js';
import { TokenSigner } from './token.signer.js';

const GRACE_SECONDS = 300;
const owners: SigningKeyOwner[] = ['auth', 'broker'];
const issuerOf = (owner: SigningKeyOwner) => `http://${owner}.test`;
/** What each owner signs in production: auth access tokens, the broker session tokens. */
const kindOf = {
  auth: [TokenKind.Access, Audience.Access],
  broker: [TokenKind.Session, Audience.Session],
} as const;

/** Both owners' key rings on one SQLite file, as the embedded server composes them. */
async function start(file: string, clock: TestClock) {
  const modules = new Map(
    owners.map((owner) => [
      owner,
      TokenKeysModule.forOwner({
        owner,
        issuer: issuerOf(owner),
        retiredKeyGraceSeconds: GRACE_SECONDS,
        clock: clock.now,
      }),
    ]),
  );
  class KeysTestModule {}
  const app = await NestFactory.createApplicationContext(
    {
      module: KeysTestModule,
      imports: [TypeOrmModule.forRoot(dataSourceOptions({ kind: 'sqlite', file })), ...modules.values()],
    },
    { logger: false },
  );
  // `strict`: the owner's own instance, not the first KeyRing found in the whole app.
  const of = (owner: SigningKeyOwner) => app.select(modules.get(owner)!);
  return {
    app,
    ring: (owner: SigningKeyOwner) => of(owner).get(KeyRing, { strict: true }),
    signer: (owner: SigningKeyOwner) => of(owner).get(TokenSigner, { strict: true }),
  };
}

describe('signing keys on a fresh SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-token-keys-'));
  const file = join(dir, 'keys.sqlite');
  const clock = new TestClock();
  const opened: INestApplicationContext[] = [];
  let keys: Awaited<ReturnType<typeof start>>;

  before(async () => {
    keys = await start(file, clock);
    opened.push(keys.app);
  });
  after(async () => {
    for (const app of opened) await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the first use creates one key per owner, kept for every later use and every instance', async () => {
    const [auth, broker] = [await keys.ring('auth').current(), await keys.ring('broker').current()];
    assert.notEqual(auth.kid, broker.kid);
    assert.equal((await keys.ring('auth').current()).kid, auth.kid);
    const jwks = await keys.ring('auth').jwks();
    assert.deepEqual(
      jwks.keys.map((key) => [key.kid, key.alg, key.use, key.crv, 'd' in key]),
      [[auth.kid, 'EdDSA', 'sig', 'Ed25519', false]],
    );
    const other = await start(file, clock);
    opened.push(other.app);
    assert.equal((await other.ring('auth').current()).kid, auth.kid);
    assert.equal((await other.ring('broker').current()).kid, broker.kid);
  });

  for (const owner of owners) {
    test(`${owner}: a retired key still verifies the tokens it signed until they expire`, async () => {
      const ring = keys.ring(owner);
      const signer = keys.signer(owner);
      const [kind, audience] = kindOf[owner];
      const sign = () => signer.sign(kind, audience, { sub: 'user-1' }, GRACE_SECONDS);
      const verify = (token: string) => signer.verify(token, kind, audience);
      const publishedKids = async () => (await ring.jwks()).keys.map((key) => key.kid);
      const old = await sign();
      const oldKid = decodeProtectedHeader(old).kid!;

      await ring.rotate();
      const fresh = await sign();
      const freshKid = decodeProtectedHeader(fresh).kid!;
      assert.notEqual(freshKid, oldKid);
      assert.equal((await ring.current()).kid, freshKid);
      assert.deepEqual(await publishedKids(), [freshKid, oldKid]);

      clock.advance(GRACE_SECONDS - 1);
      assert.equal((await verify(old)).sub, 'user-1');
      const { payload } = await jwtVerify(old, createLocalJWKSet(await ring.jwks()), {
        algorithms: ['EdDSA'],
        issuer: issuerOf(owner),
        currentDate: clock.now(),
      });
      assert.equal(payload.sub, 'user-1', 'a verifier reading the JWKS accepts it too');

      clock.advance(2);
      await assert.rejects(verify(old), /exp/);
      assert.deepEqual(await publishedKids(), [freshKid], 'the retired key is gone once its tokens are');
      assert.equal((await verify(await sign())).sub, 'user-1');
    });
  }

  test('a token is a compact EdDSA JWS that jose verifies, with its kind, key, times and a fresh id', async () => {
    const signer = keys.signer('broker');
    const [first, second] = await Promise.all([
      signer.sign(TokenKind.ConnectionGrant, 'grant:h1', { sub: 'user-1', hid: 'h1' }, 60),
      signer.sign(TokenKind.ConnectionGrant, 'grant:h1', { sub: 'user-1', hid: 'h1' }, 60),
    ]);
    const { payload, protectedHeader } = await jwtVerify(
      first,
      createLocalJWKSet(await keys.ring('broker').jwks()),
      { algorithms: ['EdDSA'], typ: TokenKind.ConnectionGrant, currentDate: clock.now() },
    );
    const kid = (await keys.ring('broker').current()).kid;
    assert.deepEqual(protectedHeader, { alg: 'EdDSA', typ: TokenKind.ConnectionGrant, kid });
    const now = Math.floor(clock.now().getTime() / 1000);
    assert.deepEqual(
      { ...payload, jti: undefined },
      {
        sub: 'user-1',
        hid: 'h1',
        iss: issuerOf('broker'),
        aud: 'grant:h1',
        iat: now,
        exp: now + 60,
        jti: undefined,
      },
    );
    assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
    assert.notEqual(decodeJwt(second).jti, payload.jti);
    assert.equal((await signer.verify(second, TokenKind.ConnectionGrant, 'grant:h1')).hid, 'h1');
  });

  test('a token of another kind, audience, issuer or owner is refused', async () => {
    const token = await keys.signer('broker').sign(TokenKind.Session, Audience.Session, {}, 60);
    const broker = keys.signer('broker');
    await assert.rejects(broker.verify(token, TokenKind.ConnectionGrant, Audience.Session), /typ/);
    await assert.rejects(broker.verify(token, TokenKind.Session, Audience.Access), /aud/);
    await assert.rejects(
      keys.signer('auth').verify(token, TokenKind.Session, Audience.Session),
      /unknown signing key/,
    );
    assert.equal(await keys.ring('broker').verificationKey('../../etc/passwd'), undefined);
    assert.equal(await keys.ring('broker').verificationKey(undefined), undefined);
  });
});
