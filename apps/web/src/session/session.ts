import { ApiClient, type OAuthTokens } from '@hostlink/client-sdk';
import type { SessionResponse } from '@hostlink/protocol';

/** Refresh a little before the session token would expire. */
const REFRESH_MARGIN_MS = 30_000;

/**
 * The signed-in user's tokens. They live in this closure only, never in localStorage, sessionStorage or a
 * cookie that script can read, so an injected script that the CSP somehow let run finds nothing stored;
 * the cost is signing in again after a reload.
 */
export class Session {
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    readonly api: ApiClient,
    private tokens: OAuthTokens,
    private session: { token: string; expiresAt: number },
    readonly email: string,
  ) {
    this.schedule();
  }

  static async signIn(api: ApiClient, email: string, password: string): Promise<Session> {
    return Session.fromTokens(api, await api.passwordGrant(email, password));
  }

  /** After any grant (password, or the SSO code): the email shown is the one the access token names. */
  static async fromTokens(api: ApiClient, tokens: OAuthTokens): Promise<Session> {
    const session = await api.createSession(tokens.accessToken);
    return new Session(api, tokens, sessionOf(session), emailOf(tokens.accessToken));
  }

  /** The session token for one API call or the events socket. */
  get token(): string {
    return this.session.token;
  }

  async signOut(): Promise<void> {
    clearTimeout(this.refreshTimer);
    await this.api.revoke(this.tokens.refreshToken).catch(() => undefined);
  }

  private schedule(): void {
    const delay = Math.max(5_000, this.session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    try {
      this.tokens = await this.api.refreshGrant(this.tokens.refreshToken);
      this.session = sessionOf(await this.api.createSession(this.tokens.accessToken));
    } finally {
      this.schedule();
    }
  }
}

function sessionOf(response: SessionResponse) {
  return { token: response.sessionToken, expiresAt: Date.now() + response.expiresIn * 1000 };
}

/** The access token's `email` claim (display only: the servers verify the token, the page need not). */
function emailOf(accessToken: string): string {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
    const email = (JSON.parse(json) as { email?: unknown }).email;
    return typeof email === 'string' ? email : '';
  } catch {
    return '';
  }
}
