import assert from 'node:assert/strict';
import type { SamlIdpUser } from '@hostlink/testing';

/** A minimal cookie jar: SimpleSAMLphp keeps its login state in a PHP session cookie. */
class Jar {
  private readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  keep(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
    }
  }
}

async function follow(url: string, jar: Jar, init: RequestInit = {}): Promise<Response> {
  let response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...init.headers, cookie: jar.header() },
  });
  jar.keep(response);
  while (response.status >= 300 && response.status < 400) {
    const next = new URL(response.headers.get('location')!, url).toString();
    response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.keep(response);
    url = next;
  }
  return response;
}

const field = (html: string, name: string): string | undefined =>
  new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(html)?.[1];

/**
 * A native client's side of the SP-initiated flow without a browser: our login URL, the IdP's form,
 * the user's credentials; returns the SAMLResponse the IdP would POST to our ACS (not posted).
 */
export async function samlResponseFromIdp(loginUrl: string, user: SamlIdpUser): Promise<string> {
  const jar = new Jar();
  const form = await follow(loginUrl, jar);
  const html = await form.text();
  const authState = field(html, 'AuthState');
  assert.ok(authState, `no login form: ${html.slice(0, 300)}`);
  const answer = await follow(form.url || loginUrl, jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      username: user.username,
      password: user.password,
      AuthState: decode(authState),
    }),
  });
  const page = await answer.text();
  const samlResponse = field(page, 'SAMLResponse');
  assert.ok(samlResponse, `the IdP answered no SAMLResponse: ${page.slice(0, 300)}`);
  return decode(samlResponse);
}

const decode = (html: string): string =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The signed assertion of a response, standalone (its `saml` prefix declared on itself), for RFC 7522. */
export function assertionOf(responseXml: string): string {
  const match = /<(\w+):Assertion[\s>][\s\S]*<\/\1:Assertion>/.exec(responseXml);
  assert.ok(match, 'no assertion in the response');
  const prefix = match[1]!;
  const declaration = `xmlns:${prefix}="urn:oasis:names:tc:SAML:2.0:assertion"`;
  return match[0].includes(declaration)
    ? match[0]
    : match[0].replace(`<${prefix}:Assertion`, `<${prefix}:Assertion ${declaration}`);
}
