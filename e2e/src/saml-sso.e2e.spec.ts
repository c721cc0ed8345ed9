import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiPath } from '@hostlink/protocol';
import {
  CliUser,
  collect,
  type EmbeddedStack,
  type SimpleSamlIdp,
  startEmbeddedStack,
  startSimpleSamlIdp,
  waitForLine,
} from '@hostlink/testing';
import { z } from 'zod';
import { launchChromium, screenshot, VIEWPORTS, watchPage } from './support/browser.js';
import { RawApi } from './support/raw-api.js';
import { assertionOf, samlResponseFromIdp } from './support/saml-http-login.js';

const Tokens = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
});
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('SAML single sign-on against a real IdP (SimpleSAMLphp) and a real browser (Chromium)', () => {
  let stack: EmbeddedStack;
  let idp: SimpleSamlIdp;
  let api: RawApi;
  let accountId: string;
  const gateway = () => stack.urls.gateway.replace(/\/+$/, '');
  const token = (body: Record<string, string>) =>
    fetch(new URL(ApiPath.token, stack.urls.gateway), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
  const loginUrl = (challenge: string, redirectUri: string, state: string) =>
    `${gateway()}${ApiPath.samlLogin(accountId)}?${new URLSearchParams({ code_challenge: challenge, redirect_uri: redirectUri, state })}`;
  /** A token that lists hosts is a working sign-in. */
  async function listsHosts(accessToken: string): Promise<void> {
    const session = await api.call(ApiPath.session, { method: 'POST', bearer: accessToken });
    assert.equal(session.status, 200, await session.clone().text());
    const { sessionToken } = z.object({ sessionToken: z.string() }).parse(await session.json());
    const hosts = await api.call(ApiPath.hosts, { bearer: sessionToken });
    assert.equal(hosts.status, 200, await hosts.clone().text());
  }

  before(async () => {
    stack = await startEmbeddedStack();
    api = new RawApi(stack.urls.gateway);
    const admin = await api.signIn(stack.admin.email, stack.admin.password);
    accountId = claimsOf(admin.access).acc as string;
    idp = await startSimpleSamlIdp({
      sp: {
        entityId: gateway() + ApiPath.samlMetadata(accountId),
        acsUrl: gateway() + ApiPath.samlAcs(accountId),
      },
    });
    const metadataXml = await (await fetch(idp.metadataUrl)).text();
    const imported = await api.call(ApiPath.accountSso, {
      method: 'PUT',
      bearer: admin.access,
      body: { metadataXml, jitProvisioning: true },
    });
    assert.equal(imported.status, 200, await imported.clone().text());
    const sp = await fetch(gateway() + ApiPath.samlMetadata(accountId));
    assert.match(await sp.text(), /AssertionConsumerService/);
  });
  after(async () => {
    await idp?.stop();
    await stack?.stop();
  });

  test('SP-initiated in Chromium: IdP login form, POST to our ACS, a one-time code in the fragment, then hosts', async () => {
    const { verifier, challenge } = pkce();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(loginUrl(challenge, '/signed-in', 'browser-state'));
      await page.waitForURL((url) => url.port === new URL(idp.baseUrl).port);
      await page.fill('input[name="username"]', idp.user.username);
      await page.fill('input[name="password"]', idp.user.password);
      // The address as the browser arrived: the web client served at /signed-in takes the code out of the
      // address bar as soon as its script runs, which may be before page.url() could be read.
      let arrival: URL | undefined;
      const arrived = (url: URL) => {
        if (!/\/signed-in#/.test(url.href)) return false;
        arrival ??= url;
        return true;
      };
      await Promise.all([page.waitForURL(arrived), page.press('input[name="password"]', 'Enter')]);
      const landed = arrival!;
      assert.equal(landed.search, '', 'nothing in the query: the code rides in the fragment only');
      const result = new URLSearchParams(landed.hash.slice(1));
      assert.equal(result.get('state'), 'browser-state');
      const code = result.get('code')!;
      assert.ok(code.startsWith('hlc_'));
      const answer = await token({ grant_type: 'authorization_code', code, code_verifier: verifier });
      assert.equal(answer.status, 200, await answer.clone().text());
      const tokens = Tokens.parse(await answer.json());
      assert.equal(claimsOf(tokens.access_token).email, idp.user.email);
      await listsHosts(tokens.access_token);
      const again = await token({ grant_type: 'authorization_code', code, code_verifier: verifier });
      assert.equal(again.status, 400, 'the code works once');
    } finally {
      await browser.close();
    }
  });

  test('the web client: "Sign in with your organisation" goes through the IdP and lands signed in', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: VIEWPORTS.tabletPortrait });
      const problems = watchPage(page);
      await page.goto(`${gateway()}/`);
      await page.fill('input[name="account"]', accountId);
      await screenshot(page, 'sign-in-sso-tablet-portrait');
      await page.click('text=Continue to your identity provider');
      await page.waitForURL((url) => url.port === new URL(idp.baseUrl).port);
      await page.fill('input[name="username"]', idp.user.username);
      await page.fill('input[name="password"]', idp.user.password);
      await page.press('input[name="password"]', 'Enter');
      const signedInAs = page.getByTestId('signed-in-as');
      await signedInAs.waitFor({ timeout: 15_000 });
      assert.equal((await signedInAs.textContent())?.trim(), idp.user.email);
      assert.equal(new URL(page.url()).hash, '', 'the one-time code left the address bar');
      assert.deepEqual(problems, []);
      // A reload holds no code any more: the page asks to sign in again instead of failing.
      await page.reload();
      await page.locator('input[name="account"]').waitFor();
      assert.equal(await page.inputValue('input[name="account"]'), accountId, 'the account id is remembered');
    } finally {
      await browser.close();
    }
  });

  test("RFC 7522: the same IdP's assertion at /oauth/token (saml2-bearer) gives tokens, once", async () => {
    const { challenge } = pkce();
    const response = await samlResponseFromIdp(
      loginUrl(challenge, 'http://127.0.0.1:9/cb', 'native'),
      idp.user,
    );
    const xml = Buffer.from(response, 'base64').toString('utf8');
    const assertion = Buffer.from(assertionOf(xml), 'utf8').toString('base64url');
    const grant = {
      grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
      assertion,
      account: accountId,
    };
    const answer = await token(grant);
    assert.equal(answer.status, 200, await answer.clone().text());
    await listsHosts(Tokens.parse(await answer.json()).access_token);
    const replay = await token(grant);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
  });

  test("the IdP's response, tampered in transit, is refused at the ACS", async () => {
    const { challenge } = pkce();
    const response = await samlResponseFromIdp(loginUrl(challenge, '/signed-in', 'tamper'), idp.user);
    const xml = Buffer.from(response, 'base64')
      .toString('utf8')
      .replace(idp.user.email, 'admin@example.test');
    const answer = await fetch(gateway() + ApiPath.samlAcs(accountId), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: Buffer.from(xml).toString('base64') }),
    });
    assert.equal(answer.status, 401, await answer.clone().text());
    assert.match(await answer.text(), /SAML signature/);
  });

  test('the CLI: an admin imports the IdP metadata file; a member signs in with login --sso on a loopback redirect', async () => {
    const admin = await CliUser.create();
    await admin.ok(['login', '--server', gateway(), '--email', stack.admin.email, '--password-stdin'], {
      input: stack.admin.password,
    });
    const file = join(admin.configDir, 'idp-metadata.xml');
    await writeFile(file, await (await fetch(idp.metadataUrl)).text());
    const imported = await admin.ok(['admin', 'sso', 'import-metadata', file, '--jit']);
    assert.match(imported, new RegExp(`--account ${accountId}`));

    const member = await CliUser.create();
    const login = member.spawn([
      'login',
      '--sso',
      '--server',
      gateway(),
      '--account',
      accountId,
      '--no-browser',
    ]);
    const output = collect(login);
    const exited = new Promise<number | null>((resolve) => login.once('exit', resolve));
    const [, url] = await waitForLine(login, /in the browser: (\S+)/, 15_000);
    assert.match(url!, /redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback/);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url!);
      await page.fill('input[name="username"]', idp.user.username);
      await page.fill('input[name="password"]', idp.user.password);
      await Promise.all([
        page.waitForURL(/127\.0\.0\.1:\d+\/callback\?/),
        page.press('input[name="password"]', 'Enter'),
      ]);
      assert.match(await page.content(), /Signed in/);
    } finally {
      await browser.close();
    }
    assert.equal(await exited, 0, JSON.stringify(output()));
    assert.match(output().stdout, new RegExp(`signed in as ${idp.user.email} \\(member\\)`));
    assert.match(await member.ok(['hosts']), /no hosts yet/);
    assert.match(await member.ok(['whoami']), new RegExp(idp.user.email));
  });
});
