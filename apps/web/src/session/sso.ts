import type { ApiClient, OAuthTokens } from '@hostlink/client-sdk';

/**
 * Single sign-on through the account's SAML IdP (the gateway's `/saml/<account>/login`). The verifier and
 * state wait in sessionStorage across the IdP round trip (this tab only, gone when it closes); the one-time
 * code comes back in the URL fragment, which never reaches a server, and works only with that verifier.
 */
const PENDING_KEY = 'hostlink.sso.pending';
/** The last account id used, to prefill the form: not a secret. */
export const ACCOUNT_KEY = 'hostlink.sso.account';

interface Pending {
  verifier: string;
  state: string;
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomText = (length: number) => base64url(crypto.getRandomValues(new Uint8Array(length)));

/** Leaves the page for the IdP; the browser comes back to this path with a code. */
export async function startSso(api: ApiClient, accountId: string): Promise<void> {
  const pending: Pending = { verifier: randomText(32), state: randomText(16) };
  const challenge = base64url(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier)),
  );
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  localStorage.setItem(ACCOUNT_KEY, accountId);
  location.assign(api.samlLoginUrl(accountId, challenge, location.pathname, pending.state));
}

/** Redeems the code the IdP round trip left in the fragment, once; null when the page holds none. */
export async function finishSso(api: ApiClient): Promise<OAuthTokens | null> {
  const result = new URLSearchParams(location.hash.slice(1));
  const code = result.get('code');
  if (!code) return null;
  // The code leaves the address bar and the history at once, whatever happens next.
  history.replaceState(null, '', location.pathname + location.search);
  const pending = readPending();
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending || pending.state !== result.get('state'))
    throw new Error('That sign-in was not started from this tab: start it again.');
  return api.codeGrant(code, pending.verifier);
}

function readPending(): Pending | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as Partial<Pending> | null;
    return typeof value?.verifier === 'string' && typeof value.state === 'string'
      ? { verifier: value.verifier, state: value.state }
      : null;
  } catch {
    return null;
  }
}
