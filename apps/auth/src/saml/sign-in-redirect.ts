import { ErrorCode, HostlinkError } from '@hostlink/protocol';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const invalid = (): never => {
  throw new HostlinkError(
    ErrorCode.BadRequest,
    'redirect_uri must be a loopback http URL (native clients) or a path of this server (the web client)',
  );
};

/**
 * Where a sign-in code may go: a native client's loopback listener (RFC 8252 section 7.3: any port,
 * plain http) or a path of the gateway itself (the web client). Nothing else, so a code cannot be sent
 * to someone else's site.
 */
export function checkRedirectUri(redirectUri: string): void {
  if (redirectUri.startsWith('/')) {
    if (redirectUri.startsWith('//') || redirectUri.includes('\\')) invalid();
    return;
  }
  const url = URL.canParse(redirectUri) ? new URL(redirectUri) : invalid();
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password)
    invalid();
}

/**
 * The code goes in the query for a loopback listener (it only sees the query) and in the fragment for the
 * web client (a fragment never reaches a server or its logs).
 */
export function redirectWithCode(
  publicUrl: string,
  redirectUri: string,
  code: string,
  state: string,
): string {
  const params = new URLSearchParams({ code, state }).toString();
  if (redirectUri.startsWith('/')) {
    const url = new URL(redirectUri, publicUrl);
    url.hash = params;
    return url.toString();
  }
  const url = new URL(redirectUri);
  url.search = url.search ? `${url.search}&${params}` : params;
  return url.toString();
}
