import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainRpcFilter } from '@hostlink/bus';
import {
  ApiPath,
  CodeGrantRequest,
  ErrorCode,
  HostlinkError,
  SamlAcsRequest,
  SamlBearerGrantRequest,
  SamlLoginStartRequest,
  Subject,
} from '@hostlink/protocol';
import { startGatewayTestApp } from '../testing/gateway-test.app.js';

const ACCOUNT = randomUUID();
const CHALLENGE = 'c'.repeat(43);
const tokens = { accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 300, refreshToken: 'hlr_x' };

/** Stands in for auth's SAML subjects, with the same payload schemas. */
@Controller()
@UseFilters(DomainRpcFilter)
class FakeAuth {
  static seen: unknown[] = [];

  @MessagePattern(Subject.authSamlLoginStart)
  start(payload: unknown) {
    FakeAuth.seen.push(SamlLoginStartRequest.parse(payload));
    return { location: 'https://idp.test/sso?SAMLRequest=x' };
  }

  @MessagePattern(Subject.authSamlAcs)
  acs(payload: unknown) {
    const request = SamlAcsRequest.parse(payload);
    if (request.samlResponse !== 'good')
      throw new HostlinkError(ErrorCode.TokenInvalid, 'SAML signature: bad');
    return { location: 'http://127.0.0.1:9/cb?code=hlc_x&state=s' };
  }

  @MessagePattern(Subject.authSamlSpMetadata)
  metadata() {
    return { xml: '<md:EntityDescriptor/>' };
  }

  @MessagePattern(Subject.authSamlBearerGrant)
  bearer(payload: unknown) {
    FakeAuth.seen.push(SamlBearerGrantRequest.parse(payload));
    return tokens;
  }

  @MessagePattern(Subject.authCodeGrant)
  code(payload: unknown) {
    FakeAuth.seen.push(CodeGrantRequest.parse(payload));
    return tokens;
  }
}

let app: NestExpressApplication;
let base: string;
before(async () => {
  ({ app, base } = await startGatewayTestApp({ publicUrl: 'http://gateway.test', connectSources: [] }, [
    FakeAuth,
  ]));
});
after(() => app.close());

const post = (path: string, values: Record<string, string>) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values),
  });

describe('SAML browser endpoints', () => {
  test('login redirects to the IdP, passing the PKCE challenge, redirect and state to auth', async () => {
    const query = new URLSearchParams({ code_challenge: CHALLENGE, redirect_uri: '/app', state: 's1' });
    const answer = await fetch(`${base}${ApiPath.samlLogin(ACCOUNT)}?${query}`, { redirect: 'manual' });
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.get('location'), 'https://idp.test/sso?SAMLRequest=x');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(FakeAuth.seen.at(-1), {
      accountId: ACCOUNT,
      codeChallenge: CHALLENGE,
      redirectUri: '/app',
      state: 's1',
    });
  });

  test('login without a PKCE challenge, or for a malformed account, is a bad request', async () => {
    const noChallenge = await fetch(`${base}${ApiPath.samlLogin(ACCOUNT)}?redirect_uri=/app&state=s`);
    assert.equal(noChallenge.status, 400);
    const query = new URLSearchParams({ code_challenge: CHALLENGE, redirect_uri: '/app', state: 's1' });
    assert.equal((await fetch(`${base}${ApiPath.samlLogin('../etc')}?${query}`)).status, 400);
  });

  test('the ACS takes the HTTP-POST form and answers 303 to the client; a refused response is 401', async () => {
    const good = await post(ApiPath.samlAcs(ACCOUNT), { SAMLResponse: 'good', RelayState: '' });
    assert.equal(good.status, 303);
    assert.equal(good.headers.get('location'), 'http://127.0.0.1:9/cb?code=hlc_x&state=s');
    const bad = await post(ApiPath.samlAcs(ACCOUNT), { SAMLResponse: 'forged' });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { code: string }).code, ErrorCode.TokenInvalid);
  });

  test('a SAMLResponse bigger than 16 KiB (the general limit) is accepted; over 256 KiB it is not', async () => {
    const big = await post(ApiPath.samlAcs(ACCOUNT), { SAMLResponse: 'x'.repeat(100 * 1024) });
    assert.equal(big.status, 401, 'parsed and handed to auth');
    const huge = await post(ApiPath.samlAcs(ACCOUNT), { SAMLResponse: 'x'.repeat(300 * 1024) });
    assert.equal(huge.status, 400);
  });

  test('SP metadata is XML', async () => {
    const answer = await fetch(`${base}${ApiPath.samlMetadata(ACCOUNT)}`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /samlmetadata\+xml/);
  });

  test('the admin import needs a bearer access token', async () => {
    const answer = await fetch(`${base}${ApiPath.accountSso}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadataXml: '<x/>' }),
    });
    assert.equal(answer.status, 401);
  });
});

describe('token endpoint grants for SSO', () => {
  test('saml2-bearer (RFC 7522) passes the assertion and account to auth', async () => {
    const answer = await post(ApiPath.token, {
      grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
      assertion: 'PHNhbWw-',
      account: ACCOUNT,
    });
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.deepEqual(FakeAuth.seen.at(-1), {
      accountId: ACCOUNT,
      assertion: 'PHNhbWw-',
      clientAddress: '127.0.0.1',
    });
  });

  test('authorization_code passes the code and its verifier', async () => {
    const verifier = 'v'.repeat(43);
    const answer = await post(ApiPath.token, {
      grant_type: 'authorization_code',
      code: 'hlc_x',
      code_verifier: verifier,
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(FakeAuth.seen.at(-1), { code: 'hlc_x', codeVerifier: verifier });
  });

  test('saml2-bearer without an account is invalid_request', async () => {
    const answer = await post(ApiPath.token, {
      grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
      assertion: 'x',
    });
    assert.equal(answer.status, 400);
    assert.equal(((await answer.json()) as { error: string }).error, 'invalid_request');
  });
});
