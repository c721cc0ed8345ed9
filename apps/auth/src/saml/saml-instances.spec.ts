import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, databaseKinds, type TestDatabase } from '@hostlink/persistence/testing';
import {
  BootstrapAdminResponse,
  ErrorCode,
  SamlIdpSummary,
  SamlRedirect,
  Subject,
  TokenResponse,
} from '@hostlink/protocol';
import { TestClock, withCode } from '@hostlink/testing';
import { decodeJwt } from 'jose';
import { type AuthTestApp, startAuthTestApp, TEST_ISSUER } from '../testing/auth-test.app.js';
import {
  assertionXml,
  base64,
  base64url,
  idpMetadataXml,
  newSigningIdentity,
  responseXml,
  sign,
} from '../testing/saml-fixtures.js';
import { s256 } from './sign-in-code.service.js';
import { spEndpoints } from './sp-endpoints.js';

const IDP = 'https://idp.test/metadata';
const PASSWORD = 'correct horse battery staple';

/** Two auth instances on one database, as in the distributed mode: SAML state is shared through it. */
for (const kind of databaseKinds) {
  describe(`SAML across two auth instances on ${kind}`, () => {
    let database: TestDatabase;
    let instances: AuthTestApp[] = [];
    const idp = newSigningIdentity('idp');
    let accountId: string;
    const bus = () => instances[0]!.bus; // the hub hands each request to the next instance in turn

    before(async () => {
      database = await createTestDatabase(kind);
      for (let index = 0; index < 2; index++)
        instances.push(
          await startAuthTestApp({ clock: new TestClock(new Date()), database: database.target }),
        );
      await bus().request(
        Subject.authBootstrapAdmin,
        { email: 'admin@example.com', password: PASSWORD },
        BootstrapAdminResponse,
      );
      const { accessToken } = await bus().request(
        Subject.authPasswordGrant,
        { email: 'admin@example.com', password: PASSWORD },
        TokenResponse,
      );
      accountId = decodeJwt(accessToken).acc as string;
      const metadataXml = idpMetadataXml(IDP, 'https://idp.test/sso', [idp.certBody]);
      await bus().request(
        Subject.authSamlImportMetadata,
        { accessToken, metadataXml, jitProvisioning: true },
        SamlIdpSummary,
      );
    });
    after(async () => {
      for (const instance of instances) await instance.close();
      instances = [];
      await database?.drop();
    });

    const assertion = (inResponseTo?: string) => {
      const sp = spEndpoints(TEST_ISSUER, accountId);
      const now = Date.now();
      return sign(
        assertionXml({
          issuer: IDP,
          audience: sp.entityId,
          recipient: inResponseTo ? sp.acsUrl : sp.tokenUrl,
          nameId: 'alice@example.com',
          inResponseTo,
          notBefore: new Date(now - 5_000),
          notOnOrAfter: new Date(now + 300_000),
        }),
        'Assertion',
        idp,
      );
    };

    test('a login started on one instance is answered on either, and its response works once', async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const verifier = randomBytes(32).toString('base64url');
        const { location } = await bus().request(
          Subject.authSamlLoginStart,
          { accountId, codeChallenge: s256(verifier), redirectUri: '/app', state: 's' },
          SamlRedirect,
        );
        const request = inflateRawSync(
          Buffer.from(new URL(location).searchParams.get('SAMLRequest')!, 'base64'),
        );
        const id = /ID="([^"]+)"/.exec(request.toString('utf8'))![1]!;
        const sp = spEndpoints(TEST_ISSUER, accountId);
        const response = base64(
          responseXml({ issuer: IDP, destination: sp.acsUrl, inResponseTo: id }, assertion(id)),
        );
        const answer = await bus().request(
          Subject.authSamlAcs,
          { accountId, samlResponse: response },
          SamlRedirect,
        );
        const code = new URLSearchParams(new URL(answer.location).hash.slice(1)).get('code')!;
        for (let again = 0; again < 2; again++)
          await assert.rejects(
            bus().request(Subject.authSamlAcs, { accountId, samlResponse: response }, SamlRedirect),
            withCode(ErrorCode.TokenInvalid),
          );
        await bus().request(Subject.authCodeGrant, { code, codeVerifier: verifier }, TokenResponse);
        await assert.rejects(
          bus().request(Subject.authCodeGrant, { code, codeVerifier: verifier }, TokenResponse),
          withCode(ErrorCode.TokenInvalid),
        );
      }
    });

    test('an assertion spent on one instance is a replay on every instance', async () => {
      const grant = { accountId, assertion: base64url(assertion()) };
      await bus().request(Subject.authSamlBearerGrant, grant, TokenResponse);
      for (let again = 0; again < 4; again++)
        await assert.rejects(
          bus().request(Subject.authSamlBearerGrant, grant, TokenResponse),
          (error: unknown) =>
            withCode(ErrorCode.TokenInvalid)(error) && /^SAML replay:/.test((error as Error).message),
        );
    });
  });
}
