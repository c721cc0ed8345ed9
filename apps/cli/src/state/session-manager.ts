import { ApiClient, bytesToBase64Url, type OAuthTokens } from '@hostlink/client-sdk';
import { createNodeCryptoBackend } from '@hostlink/client-sdk/node';
import { ErrorCode, HostlinkError, type UserView } from '@hostlink/protocol';
import type { Account, CliState, StateStore } from './cli-state.js';

/** A session token is renewed when it has less than this left. */
const SESSION_MARGIN_MS = 60_000;

export const LOGIN_HINT = 'run `hostlink login --server URL --email you@example.com`';

/** Signed-in state: device key, refresh-token rotation and a cached session token. */
export class SessionManager {
  constructor(
    private readonly store: StateStore,
    private readonly apiFor: (serverUrl: string) => ApiClient = (url) => new ApiClient(url),
    private readonly now: () => number = Date.now,
  ) {}

  async signIn(
    serverUrl: string,
    email: string,
    password: string,
  ): Promise<{ user: UserView; state: CliState }> {
    const api = this.apiFor(serverUrl);
    return this.keep(api, await api.passwordGrant(email, password), email);
  }

  /** Saves a fresh sign-in (password or SSO) with its first session token. */
  async keep(
    api: ApiClient,
    tokens: OAuthTokens,
    email?: string,
  ): Promise<{ user: UserView; state: CliState }> {
    const state = await this.baseState();
    const session = await api.createSession(tokens.accessToken);
    const account: Account = {
      serverUrl: api.baseUrl,
      email: email ?? session.user.email,
      refreshToken: tokens.refreshToken,
    };
    account.user = session.user;
    account.session = { token: session.sessionToken, expiresAt: this.now() + session.expiresIn * 1000 };
    const next = { ...state, account };
    await this.store.save(next);
    return { user: session.user, state: next };
  }

  /** A fresh access token (the refresh token rotates and is saved first), for auth's admin endpoints. */
  async accessToken(): Promise<{ api: ApiClient; accessToken: string }> {
    const state = await this.store.load();
    const account = state?.account;
    if (!state || !account)
      throw new HostlinkError(ErrorCode.Unauthenticated, `not signed in: ${LOGIN_HINT}`);
    const api = this.apiFor(account.serverUrl);
    const tokens = await api.refreshGrant(account.refreshToken).catch((error: unknown) => {
      throw signInAgain(error);
    });
    account.refreshToken = tokens.refreshToken;
    await this.store.save(state);
    return { api, accessToken: tokens.accessToken };
  }

  /** Revokes the refresh token on the server, then forgets the sign-in here even if the server is away. */
  async signOut(): Promise<{ wasSignedIn: boolean; revoked: boolean }> {
    const state = await this.store.load();
    if (!state?.account) return { wasSignedIn: false, revoked: false };
    const revoked = await this.apiFor(state.account.serverUrl)
      .revoke(state.account.refreshToken)
      .then(() => true)
      .catch(() => false);
    await this.store.save({ ...state, account: undefined });
    return { wasSignedIn: true, revoked };
  }

  /** A valid session token, refreshing (and saving the rotated refresh token) when needed. */
  async session(): Promise<{ api: ApiClient; token: string; account: Account; state: CliState }> {
    const state = await this.store.load();
    const account = state?.account;
    if (!state || !account)
      throw new HostlinkError(ErrorCode.Unauthenticated, `not signed in: ${LOGIN_HINT}`);
    const api = this.apiFor(account.serverUrl);
    if (account.session && account.session.expiresAt - SESSION_MARGIN_MS > this.now()) {
      return { api, token: account.session.token, account, state };
    }
    const tokens = await api.refreshGrant(account.refreshToken).catch((error: unknown) => {
      throw signInAgain(error);
    });
    // Saved before anything else: the old refresh token is already spent.
    account.refreshToken = tokens.refreshToken;
    await this.store.save(state);
    const session = await api.createSession(tokens.accessToken);
    account.user = session.user;
    account.session = { token: session.sessionToken, expiresAt: this.now() + session.expiresIn * 1000 };
    await this.store.save(state);
    return { api, token: session.sessionToken, account, state };
  }

  /** Existing state, or a fresh one with a newly generated device key. */
  async baseState(): Promise<CliState> {
    const existing = await this.store.load();
    if (existing) return existing;
    const pair = await createNodeCryptoBackend().generateKeyPair();
    const state: CliState = {
      version: 1,
      deviceKey: {
        publicKey: bytesToBase64Url(pair.publicKey),
        privateKey: bytesToBase64Url(pair.privateKey),
      },
    };
    await this.store.save(state);
    return state;
  }
}

function signInAgain(error: unknown): unknown {
  if (!(error instanceof HostlinkError)) return error;
  const refused: string[] = [
    ErrorCode.TokenInvalid,
    ErrorCode.TokenExpired,
    ErrorCode.TokenReused,
    ErrorCode.Unauthenticated,
    ErrorCode.InvalidCredentials,
  ];
  if (!refused.includes(error.code)) return error;
  return new HostlinkError(ErrorCode.Unauthenticated, `your sign-in has expired: ${LOGIN_HINT}`);
}
