import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, mock, test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { AuditEvent } from '@hostlink/persistence';
import {
  BootstrapAdminResponse,
  ErrorCode,
  HostlinkError,
  SamlIdpSummary,
  SamlRedirect,
  Subject,
  TokenResponse,
} from '@hostlink/protocol';
import { TestClock, withCode } from '@hostlink/testing';
import { decodeJwt } from 'jose';
import { type AuthTestApp, startAuthTestApp, TEST_ISSUER } from '../testing/auth-test.app.js';
import {
  type AssertionFields,
  assertionXml,
  base64,
  base64url,
  idpMetadataXml,
  newSigningIdentity,
  responseXml,
  type SigningIdentity,
  sign,
} from '../testing/saml-fixtures.js';
import { s256 } from './sign-in-code.service.js';
import { spEndpoints, type SpEndpoints } from './sp-endpoints.js';

const SKEW_SECONDS = 30;
const IDP = 'https://idp.test/metadata';
const ADMIN = 'admin@example.com';
const MEMBER = 'alice@example.com';

describe('SAML sign-in against signed fixtures', () => {
  let app: AuthTestApp;
  let idp: SigningIdentity;
  let attacker: SigningIdentity;
  let accountId: string;
  let sp: SpEndpoints;
  const verifier = randomBytes(32).toString('base64url');

  before(async () => {
    app = await startAuthTestApp({ clock: new TestClock(new Date()), samlClockSkewSeconds: SKEW_SECONDS });
    [idp, attacker] = [newSigningIdentity('idp'), newSigningIdentity('attacker')];
    await app.bus.request(
      Subject.authBootstrapAdmin,
      { email: ADMIN, password: 'correct horse battery staple' },
      BootstrapAdminResponse,
    );
    const { accessToken } = await app.bus.request(
      Subject.authPasswordGrant,
      { email: ADMIN, password: 'correct horse battery staple' },
      TokenResponse,
    );
    accountId = decodeJwt(accessToken).acc as string;
    sp = spEndpoints(TEST_ISSUER, accountId);
    // Two certificates, as during a rollover: the first is another key, the second the one that signs.
    const metadataXml = idpMetadataXml(IDP, 'https://idp.test/sso', [
      newSigningIdentity('old').certBody,
      idp.certBody,
    ]);
    await app.bus.request(
      Subject.authSamlImportMetadata,
      { accessToken, metadataXml, jitProvisioning: true },
      SamlIdpSummary,
    );
  });
  after(() => app.close());

  /** Starts a login and returns the id of the AuthnRequest sent to the IdP. */
  async function pendingRequestId(): Promise<string> {
    const { location } = await app.bus.request(
      Subject.authSamlLoginStart,
      { accountId, codeChallenge: s256(verifier), redirectUri: 'http://127.0.0.1:4567/done', state: 'st-1' },
      SamlRedirect,
    );
    const request = new URL(location).searchParams.get('SAMLRequest')!;
    const xml = inflateRawSync(Buffer.from(request, 'base64')).toString('utf8');
    return /ID="([^"]+)"/.exec(xml)![1]!;
  }

  const fields = (inResponseTo: string, overrides: Partial<AssertionFields> = {}): AssertionFields => ({
    issuer: IDP,
    audience: sp.entityId,
    recipient: sp.acsUrl,
    nameId: MEMBER,
    inResponseTo,
    notBefore: new Date(Date.now() - 5_000),
    notOnOrAfter: new Date(Date.now() + 300_000),
    ...overrides,
  });
  const signedAssertion = (f: AssertionFields, by = idp) => sign(assertionXml(f), 'Assertion', by);
  const wrap = (inResponseTo: string, assertion: string, extra: { status?: string; before?: string } = {}) =>
    responseXml({ issuer: IDP, destination: sp.acsUrl, inResponseTo, ...extra }, assertion);
  const acs = (xml: string) =>
    app.bus.request(Subject.authSamlAcs, { accountId, samlResponse: base64(xml) }, SamlRedirect);
  const bearer = (xml: string) =>
    app.bus.request(Subject.authSamlBearerGrant, { accountId, assertion: base64url(xml) }, TokenResponse);

  const seen = new Set<string>();
  /** The failures audited since the last call. */
  async function newFailureReasons(): Promise<unknown[]> {
    const entries = await app.dataSource.getRepository(AuditEvent).findBy({ outcome: 'failure' });
    const fresh = entries.filter((entry) => !seen.has(entry.id));
    for (const entry of fresh) seen.add(entry.id);
    return fresh.map((entry) => (entry.detail as { reason?: unknown }).reason);
  }
  /** Refused as `token_invalid` naming the reason, with one audit entry naming it too. */
  async function refused(attempt: Promise<unknown>, reason: string): Promise<void> {
    await assert.rejects(attempt, (error: unknown) => {
      withCode(ErrorCode.TokenInvalid)(error);
      assert.match((error as HostlinkError).message, new RegExp(`^SAML ${reason}:`));
      return true;
    });
    assert.deepEqual(await newFailureReasons(), [reason], 'one audit entry per refusal, naming the reason');
  }

  test('a signed response to our request ends in a one-time code that only the PKCE verifier redeems', async () => {
    const id = await pendingRequestId();
    const { location } = await acs(wrap(id, signedAssertion(fields(id))));
    const url = new URL(location);
    assert.equal(url.origin + url.pathname, 'http://127.0.0.1:4567/done');
    assert.equal(url.searchParams.get('state'), 'st-1');
    const code = url.searchParams.get('code')!;
    assert.ok(code.startsWith('hlc_'));
    const wrongVerifier = randomBytes(32).toString('base64url');
    await assert.rejects(
      app.bus.request(Subject.authCodeGrant, { code, codeVerifier: wrongVerifier }, TokenResponse),
      withCode(ErrorCode.TokenInvalid),
    );
    const tokens = await app.bus.request(
      Subject.authCodeGrant,
      { code, codeVerifier: verifier },
      TokenResponse,
    );
    const claims = decodeJwt(tokens.accessToken);
    assert.equal(claims.email, MEMBER, 'just-in-time provisioned as a member');
    assert.equal(claims.role, 'member');
    await assert.rejects(
      app.bus.request(Subject.authCodeGrant, { code, codeVerifier: verifier }, TokenResponse),
      withCode(ErrorCode.TokenInvalid),
      'a code works once',
    );
  });

  test('a sign-in code is not a refresh token, nor a refresh token a sign-in code', async () => {
    const id = await pendingRequestId();
    const { location } = await acs(wrap(id, signedAssertion(fields(id))));
    const code = new URL(location).searchParams.get('code')!;
    await assert.rejects(
      app.bus.request(Subject.authRefreshGrant, { refreshToken: code }, TokenResponse),
      withCode(ErrorCode.TokenInvalid),
    );
    const tokens = await app.bus.request(
      Subject.authCodeGrant,
      { code, codeVerifier: verifier },
      TokenResponse,
    );
    await assert.rejects(
      app.bus.request(
        Subject.authCodeGrant,
        { code: tokens.refreshToken, codeVerifier: verifier },
        TokenResponse,
      ),
      withCode(ErrorCode.TokenInvalid),
    );
    await assert.rejects(
      app.bus.request(
        Subject.authCodeGrant,
        { code: tokens.accessToken, codeVerifier: verifier },
        TokenResponse,
      ),
      withCode(ErrorCode.TokenInvalid),
    );
  });

  test('a response signed as a whole (and its assertion) is accepted, as SimpleSAMLphp sends them', async () => {
    const id = await pendingRequestId();
    const xml = sign(wrap(id, signedAssertion(fields(id))), 'Response', idp);
    assert.ok((await acs(xml)).location.includes('code='));
  });

  test('unsigned response and assertion', async () => {
    const id = await pendingRequestId();
    await refused(acs(wrap(id, assertionXml(fields(id)))), 'signature');
  });

  test('a response signed but its assertion not', async () => {
    const id = await pendingRequestId();
    await refused(acs(sign(wrap(id, assertionXml(fields(id))), 'Response', idp)), 'signature');
  });

  test('wrapping: a forged unsigned assertion beside the signed one', async () => {
    const id = await pendingRequestId();
    const forged = assertionXml(fields(id, { nameId: ADMIN }));
    await refused(acs(wrap(id, forged + signedAssertion(fields(id)))), 'wrapping');
  });

  test('wrapping: a forged assertion around the signed one', async () => {
    const id = await pendingRequestId();
    const signed = signedAssertion(fields(id));
    const forged = assertionXml(fields(id, { nameId: ADMIN })).replace(
      '</saml:Assertion>',
      `<saml:Advice>${signed}</saml:Advice></saml:Assertion>`,
    );
    await refused(acs(wrap(id, forged)), 'wrapping');
  });

  test("wrapping: a forged assertion with the signed one's ID, the signed one moved into Extensions", async () => {
    const id = await pendingRequestId();
    const signed = signedAssertion(fields(id, { id: '_same' }));
    const forged = assertionXml(fields(id, { id: '_same', nameId: ADMIN }));
    const extensions = `<samlp:Extensions>${signed}</samlp:Extensions>`;
    await refused(acs(wrap(id, forged, { before: extensions })), 'duplicate-id');
  });

  test('wrapping: the signed assertion moved into Extensions, a forged one in its place', async () => {
    const id = await pendingRequestId();
    const extensions = `<samlp:Extensions>${signedAssertion(fields(id))}</samlp:Extensions>`;
    await refused(
      acs(wrap(id, assertionXml(fields(id, { nameId: ADMIN })), { before: extensions })),
      'wrapping',
    );
    await refused(acs(wrap(id, '', { before: extensions })), 'wrapping');
  });

  test('a comment or a processing instruction inside the NameID', async () => {
    const id = await pendingRequestId();
    const signed = signedAssertion(fields(id, { nameId: `${ADMIN}.evil.test` }));
    await refused(
      acs(wrap(id, signed.replace(`${ADMIN}.evil.test`, `${ADMIN}<!---->.evil.test`))),
      'comment-or-instruction',
    );
    await refused(
      acs(wrap(id, signed.replace(`${ADMIN}.evil.test`, `${ADMIN}<?x y?>.evil.test`))),
      'comment-or-instruction',
    );
  });

  test('a DOCTYPE or an entity', async () => {
    const id = await pendingRequestId();
    const xml = wrap(id, signedAssertion(fields(id)));
    await refused(acs(`<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml}`), 'doctype');
    await refused(acs(`<!DOCTYPE samlp:Response>${xml}`), 'doctype');
  });

  test('signed by a key whose certificate (in KeyInfo) is not the pinned one', async () => {
    const id = await pendingRequestId();
    const forged = signedAssertion(fields(id, { nameId: ADMIN }), attacker);
    assert.ok(forged.includes(attacker.certBody), "the attacker's certificate rides in KeyInfo");
    await refused(acs(wrap(id, forged)), 'signature');
  });

  test('an HMAC signature keyed with our public certificate', async () => {
    const id = await pendingRequestId();
    const forged = sign(assertionXml(fields(id, { nameId: ADMIN })), 'Assertion', idp, {
      hmacSecret: idp.certPem,
    });
    await refused(acs(wrap(id, forged)), 'signature-algorithm');
  });

  test('wrong audience, recipient, issuer, destination', async () => {
    const id = await pendingRequestId();
    await refused(
      acs(wrap(id, signedAssertion(fields(id, { audience: `${sp.entityId}/other` })))),
      'audience',
    );
    await refused(
      acs(wrap(id, signedAssertion(fields(id, { recipient: 'https://evil.test/acs' })))),
      'recipient',
    );
    await refused(acs(wrap(id, signedAssertion(fields(id, { issuer: 'https://other-idp.test' })))), 'issuer');
    const misdirected = responseXml(
      { issuer: IDP, destination: 'https://evil.test/acs', inResponseTo: id },
      signedAssertion(fields(id)),
    );
    await refused(acs(misdirected), 'destination');
  });

  test('expired, and not yet valid beyond the skew', async () => {
    const id = await pendingRequestId();
    const past = { notBefore: new Date(Date.now() - 900_000), notOnOrAfter: new Date(Date.now() - 600_000) };
    await refused(acs(wrap(id, signedAssertion(fields(id, past)))), 'time-window');
    const future = { notBefore: new Date(Date.now() + (SKEW_SECONDS + 60) * 1000) };
    await refused(acs(wrap(id, signedAssertion(fields(id, future)))), 'time-window');
  });

  test('NotOnOrAfter is exclusive: refused exactly at it (plus the skew), accepted a millisecond before', async () => {
    const notOnOrAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
    const at = fields('', { notOnOrAfter, notBefore: new Date(notOnOrAfter.getTime() - 600_000) });
    const atBoundary = { ...at, inResponseTo: undefined, recipient: sp.tokenUrl };
    const exactly = signedAssertion(atBoundary);
    const justBefore = signedAssertion(atBoundary);
    mock.timers.enable({ apis: ['Date'], now: notOnOrAfter.getTime() + SKEW_SECONDS * 1000 });
    try {
      await refused(bearer(exactly), 'time-window');
      mock.timers.setTime(notOnOrAfter.getTime() + SKEW_SECONDS * 1000 - 1);
      await bearer(justBefore);
    } finally {
      mock.timers.reset();
    }
  });

  test('a replayed assertion, and a replayed response', async () => {
    const assertion = signedAssertion(fields('', { inResponseTo: undefined, recipient: sp.tokenUrl }));
    await bearer(assertion);
    await refused(bearer(assertion), 'replay');
    const id = await pendingRequestId();
    const response = wrap(id, signedAssertion(fields(id)));
    await acs(response);
    await refused(acs(response), 'in-response-to');
  });

  test('an InResponseTo we never sent, and none on the browser flow', async () => {
    await refused(acs(wrap('_never-sent', signedAssertion(fields('_never-sent')))), 'in-response-to');
    await refused(acs(wrap('', signedAssertion(fields('', { inResponseTo: undefined })))), 'in-response-to');
  });

  test('a non-success status carrying a signed assertion', async () => {
    const id = await pendingRequestId();
    const status = 'urn:oasis:names:tc:SAML:2.0:status:Requester';
    await refused(acs(wrap(id, signedAssertion(fields(id)), { status })), 'status');
  });

  test('an oversized message and a deflate bomb', async () => {
    const id = await pendingRequestId();
    const padding = `<saml:Attribute Name="x">${'A'.repeat(140 * 1024)}</saml:Attribute>`;
    await refused(acs(wrap(id, signedAssertion(fields(id)), { before: padding })), 'too-large');
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    assert.ok(bomb.length < 100 * 1024);
    await refused(
      app.bus.request(
        Subject.authSamlAcs,
        { accountId, samlResponse: bomb.toString('base64') },
        SamlRedirect,
      ),
      'compressed',
    );
  });

  test('two concurrent posts of one response: exactly one signs in, the other is refused', async () => {
    const id = await pendingRequestId();
    const response = wrap(id, signedAssertion(fields(id)));
    const results = await Promise.allSettled([acs(response), acs(response)]);
    assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
    const reasons = await newFailureReasons();
    assert.equal(reasons.length, 1);
    assert.ok(['in-response-to', 'replay'].includes(reasons[0] as string));
  });

  test('a NameID of no user is refused when the account does not provision just in time', async () => {
    const { accessToken } = await app.bus.request(
      Subject.authPasswordGrant,
      { email: ADMIN, password: 'correct horse battery staple' },
      TokenResponse,
    );
    const metadataXml = idpMetadataXml(IDP, 'https://idp.test/sso', [idp.certBody]);
    const summary = await app.bus.request(
      Subject.authSamlImportMetadata,
      { accessToken, metadataXml, jitProvisioning: false },
      SamlIdpSummary,
    );
    assert.equal(summary.jitProvisioning, false);
    const stranger = fields('', {
      inResponseTo: undefined,
      recipient: sp.tokenUrl,
      nameId: 'stranger@example.com',
    });
    await refused(bearer(signedAssertion(stranger)), 'unknown-user');
    const known = fields('', { inResponseTo: undefined, recipient: sp.tokenUrl });
    assert.equal(decodeJwt((await bearer(signedAssertion(known))).accessToken).email, MEMBER);
  });

  test('only an admin, with an access token, imports metadata; bad metadata is a bad request', async () => {
    const member = await bearer(
      signedAssertion(fields('', { inResponseTo: undefined, recipient: sp.tokenUrl })),
    );
    const metadataXml = idpMetadataXml(IDP, 'https://idp.test/sso', [idp.certBody]);
    const importWith = (accessToken: string, xml = metadataXml) =>
      app.bus.request(Subject.authSamlImportMetadata, { accessToken, metadataXml: xml }, SamlIdpSummary);
    await assert.rejects(importWith(member.accessToken), withCode(ErrorCode.Forbidden));
    const [head, body] = member.accessToken.split('.');
    await assert.rejects(importWith(`${head}.${body}.`), withCode(ErrorCode.Unauthenticated));
    const { accessToken } = await app.bus.request(
      Subject.authPasswordGrant,
      { email: ADMIN, password: 'correct horse battery staple' },
      TokenResponse,
    );
    await assert.rejects(importWith(accessToken, '<!DOCTYPE x><x/>'), withCode(ErrorCode.BadRequest));
    await assert.rejects(
      importWith(accessToken, idpMetadataXml(IDP, 'javascript:alert(1)', [idp.certBody])),
      withCode(ErrorCode.BadRequest),
    );
    await assert.rejects(
      importWith(accessToken, idpMetadataXml(IDP, 'https://idp.test/sso', [])),
      withCode(ErrorCode.BadRequest),
    );
    await assert.rejects(
      importWith(accessToken, idpMetadataXml(IDP, 'https://idp.test/sso', ['bm90IGEgY2VydA=='])),
      withCode(ErrorCode.BadRequest),
    );
  });

  test('a sign-in may only go to a loopback listener or a path of this server', async () => {
    for (const redirectUri of [
      'https://evil.test/cb',
      '//evil.test/cb',
      'http://10.0.0.1:80/cb',
      'http://user@127.0.0.1/cb',
      'javascript:x',
    ]) {
      await assert.rejects(
        app.bus.request(
          Subject.authSamlLoginStart,
          { accountId, codeChallenge: s256(verifier), redirectUri, state: 's' },
          SamlRedirect,
        ),
        withCode(ErrorCode.BadRequest),
        redirectUri,
      );
    }
  });

  test('RFC 7522: a bearer assertion for the token endpoint yields tokens; one for another SP does not', async () => {
    const tokens = await bearer(
      signedAssertion(fields('', { inResponseTo: undefined, recipient: sp.tokenUrl })),
    );
    assert.equal(decodeJwt(tokens.accessToken).email, MEMBER);
    const other = fields('', {
      inResponseTo: undefined,
      recipient: sp.tokenUrl,
      audience: 'https://other-sp.test',
    });
    await refused(bearer(signedAssertion(other)), 'audience');
    await refused(
      bearer(assertionXml(fields('', { inResponseTo: undefined, recipient: sp.tokenUrl }))),
      'signature',
    );
  });
});
