import { spawn } from 'node:child_process';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiClient, OAuthTokens } from '@hostlink/client-sdk';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';

const CALLBACK = '/callback';
const DONE_PAGE = '<!doctype html><title>Hostlink</title><p>Signed in. You can close this tab.</p>';

export interface SsoSignInOptions {
  api: ApiClient;
  accountId: string;
  /** Shows the URL to the person (and opens their browser unless told not to). */
  show: (url: string) => void;
  timeoutMs?: number;
}

/**
 * RFC 8252 native-app sign-in: a listener on a loopback port receives the one-time code the gateway's
 * SAML ACS redirects the browser to. `state` ties the answer to this attempt and PKCE (S256) ties the
 * code to this process, so a code seen by anything else on the machine is useless.
 */
export async function ssoSignIn(options: SsoSignInOptions): Promise<OAuthTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const redirectUri = `http://127.0.0.1:${port}${CALLBACK}`;
    const code = waitForCode(server, state, options.timeoutMs ?? 300_000);
    options.show(options.api.samlLoginUrl(options.accountId, challenge, redirectUri, state));
    return await options.api.codeGrant(await code, verifier);
  } finally {
    server.close();
  }
}

function waitForCode(
  server: ReturnType<typeof createServer>,
  state: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new HostlinkError(ErrorCode.Unauthenticated, 'no sign-in arrived in time; run the command again'),
        ),
      timeoutMs,
    );
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const code = url.searchParams.get('code');
      const answered = url.searchParams.get('state') ?? '';
      if (url.pathname !== CALLBACK || !code || !sameState(answered, state)) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('not this sign-in');
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(DONE_PAGE);
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function sameState(answered: string, expected: string): boolean {
  const a = Buffer.from(answered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Best effort: the URL is printed anyway, for a machine without a desktop. */
export function openInBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
