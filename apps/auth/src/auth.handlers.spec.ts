import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, Jwks, Subject } from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import { z } from 'zod';
import { type AuthTestApp, startAuthTestApp } from './testing/auth-test.app.js';

let app: AuthTestApp;
before(async () => {
  app = await startAuthTestApp();
});
after(() => app.close());

// (A null payload never leaves a Nest client: ClientProxy refuses it before sending.)
const hostile: unknown[] = [
  [],
  'hello',
  42,
  {},
  { email: 'not-an-email', password: 'x' },
  { email: 'a@example.com', password: '' },
  { email: 'a@example.com', password: 'x'.repeat(5000) },
  { email: ['a@example.com'], password: 'x' },
  { email: 'a@example.com', password: { $gt: '' } },
  { email: 'a@example.com', password: 'x', clientAddress: 'y'.repeat(65) },
  { refreshToken: '' },
  { refreshToken: 7 },
  { refreshToken: 'x'.repeat(4097) },
  JSON.parse('{"__proto__": {"admin": true}, "email": 3}'),
];
const subjects = [
  Subject.authPasswordGrant,
  Subject.authRefreshGrant,
  Subject.authSignOut,
  Subject.authBootstrapAdmin,
  Subject.authSamlImportMetadata,
  Subject.authSamlSpMetadata,
  Subject.authSamlLoginStart,
  Subject.authSamlAcs,
  Subject.authSamlBearerGrant,
  Subject.authCodeGrant,
];

test('hostile payloads to every auth handler get bad_request and the service keeps answering', async () => {
  for (const subject of subjects) {
    for (const payload of hostile) {
      // A few of these are valid for one subject and not another (a refresh token shape is not a password grant).
      const valid =
        subject === Subject.authSignOut || subject === Subject.authRefreshGrant
          ? typeof payload === 'object' &&
            payload !== null &&
            'refreshToken' in payload &&
            typeof payload.refreshToken === 'string' &&
            payload.refreshToken.length > 0 &&
            payload.refreshToken.length <= 4096
          : false;
      if (valid) continue;
      await assert.rejects(
        app.bus.request(subject, payload as object, z.unknown()),
        withCode(ErrorCode.BadRequest),
        `${subject} ${JSON.stringify(payload)}`,
      );
    }
  }
  assert.equal((await app.bus.request(Subject.authJwks, ['anything'], Jwks)).keys.length, 1);
});
