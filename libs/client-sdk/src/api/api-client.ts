import type { z } from 'zod';
import {
  ApiPath,
  ConnectOffer,
  EnrollmentResponse,
  ErrorCode,
  HostlinkError,
  ListHostsResponse,
  RegisterHostResponse,
  SamlIdpSummary,
  SessionResponse,
  parseOrThrow,
  type RegisterHostRequest,
} from '@hostlink/protocol';
import { errorFromResponse } from './api-errors.js';

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The gateway's REST API, typed with the protocol schemas. Every failure is a HostlinkError. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  passwordGrant(email: string, password: string): Promise<OAuthTokens> {
    return this.tokenRequest({ grant_type: 'password', username: email, password });
  }

  /** Refresh tokens rotate: the answer carries a new one and the old one is spent. */
  refreshGrant(refreshToken: string): Promise<OAuthTokens> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** The one-time code of the SAML browser flow (`/saml/<account>/login`) with its PKCE verifier. */
  codeGrant(code: string, codeVerifier: string): Promise<OAuthTokens> {
    return this.tokenRequest({ grant_type: 'authorization_code', code, code_verifier: codeVerifier });
  }

  /** Where a browser starts SSO; the one-time code comes back to `redirectUri` with `state`. */
  samlLoginUrl(accountId: string, codeChallenge: string, redirectUri: string, state: string): string {
    const query = new URLSearchParams({ code_challenge: codeChallenge, redirect_uri: redirectUri, state });
    return `${this.baseUrl}${ApiPath.samlLogin(accountId)}?${query.toString()}`;
  }

  /** Admin: sets the caller's account's SAML IdP from its metadata XML. */
  importSsoMetadata(
    accessToken: string,
    metadataXml: string,
    jitProvisioning: boolean,
  ): Promise<SamlIdpSummary> {
    return this.json('PUT', ApiPath.accountSso, SamlIdpSummary, {
      token: accessToken,
      body: { metadataXml, jitProvisioning },
    });
  }

  /** RFC 7009: the refresh token and its whole family stop working. */
  async revoke(refreshToken: string): Promise<void> {
    const body = new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }).toString();
    await this.send(ApiPath.revoke, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }

  createSession(accessToken: string): Promise<SessionResponse> {
    return this.json('POST', ApiPath.session, SessionResponse, { token: accessToken, body: { accessToken } });
  }

  listHosts(sessionToken: string): Promise<ListHostsResponse> {
    return this.json('GET', ApiPath.hosts, ListHostsResponse, { token: sessionToken });
  }

  createEnrollmentToken(sessionToken: string): Promise<EnrollmentResponse> {
    return this.json('POST', ApiPath.enrollmentTokens, EnrollmentResponse, { token: sessionToken, body: {} });
  }

  registerAgent(request: RegisterHostRequest): Promise<RegisterHostResponse> {
    return this.json('POST', ApiPath.registerAgent, RegisterHostResponse, { body: request });
  }

  /** `avoidRelayIds`: relays this client just lost a connection through; the broker offers them last. */
  connect(
    sessionToken: string,
    hostId: string,
    clientPublicKey: string,
    avoidRelayIds: readonly string[] = [],
  ): Promise<ConnectOffer> {
    const body = avoidRelayIds.length > 0 ? { clientPublicKey, avoidRelayIds } : { clientPublicKey };
    return this.json('POST', ApiPath.connect(hostId), ConnectOffer, { token: sessionToken, body });
  }

  /** 204 on success: there is no body to validate. */
  async removeHost(sessionToken: string, hostId: string): Promise<void> {
    await this.send(ApiPath.host(hostId), {
      method: 'DELETE',
      headers: { accept: 'application/json', authorization: `Bearer ${sessionToken}` },
    });
  }

  private async tokenRequest(fields: Record<string, string>): Promise<OAuthTokens> {
    const body = new URLSearchParams(fields).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const raw = await this.send(ApiPath.token, { method: 'POST', headers, body });
    return parseTokens(raw);
  }

  private async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: { token?: string; body?: unknown },
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return parseOrThrow(
      schema,
      await this.send(path, { method, headers, body }),
      `server reply from ${path}`,
    );
  }

  private async send(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    } catch (cause) {
      const reason =
        cause instanceof Error
          ? cause.cause instanceof Error
            ? cause.cause.message
            : cause.message
          : String(cause);
      throw new HostlinkError(
        ErrorCode.Unavailable,
        `cannot reach the server at ${this.baseUrl} (${reason})`,
      );
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok)
        throw new HostlinkError(
          ErrorCode.Internal,
          `the server at ${this.baseUrl} did not answer JSON on ${path}`,
        );
    }
    if (!response.ok) throw errorFromResponse(response.status, parsed, response.headers.get('retry-after'));
    return parsed;
  }
}

/** Accepts the OAuth wire form (snake_case) and the protocol's TokenResponse (camelCase). */
function parseTokens(raw: unknown): OAuthTokens {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const accessToken = body.access_token ?? body.accessToken;
  const refreshToken = body.refresh_token ?? body.refreshToken;
  const expiresIn = body.expires_in ?? body.expiresIn;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof expiresIn !== 'number') {
    throw new HostlinkError(
      ErrorCode.Internal,
      'the token endpoint answered without access and refresh tokens',
    );
  }
  return { accessToken, refreshToken, expiresIn };
}
