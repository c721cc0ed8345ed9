import assert from 'node:assert/strict';
import { ApiPath, ConnectOffer, HostView, SessionResponse } from '@hostlink/protocol';
import { z } from 'zod';

/** Speaks the gateway's HTTP API directly, as a hostile or curious client would. */
export class RawApi {
  constructor(readonly baseUrl: string) {}

  async call(
    path: string,
    init: { method?: string; bearer?: string; body?: unknown } = {},
  ): Promise<Response> {
    return fetch(new URL(path, this.baseUrl), {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async signIn(
    email: string,
    password: string,
  ): Promise<{ access: string; refresh: string; session: string }> {
    const grant = await this.call(ApiPath.token, {
      body: { grant_type: 'password', username: email, password },
    });
    assert.equal(grant.status, 200, await grant.clone().text());
    const tokens = z
      .object({ access_token: z.string(), refresh_token: z.string() })
      .parse(await grant.json());
    const session = await this.call(ApiPath.session, { method: 'POST', bearer: tokens.access_token });
    assert.equal(session.status, 200, await session.clone().text());
    const { sessionToken } = SessionResponse.parse(await session.json());
    return { access: tokens.access_token, refresh: tokens.refresh_token, session: sessionToken };
  }

  async hosts(session: string): Promise<HostView[]> {
    const response = await this.call(ApiPath.hosts, { bearer: session });
    assert.equal(response.status, 200);
    return z.array(HostView).parse(((await response.json()) as { hosts: unknown }).hosts);
  }

  async connect(session: string, hostId: string, clientPublicKey: string): Promise<ConnectOffer> {
    const response = await this.call(ApiPath.connect(hostId), { bearer: session, body: { clientPublicKey } });
    assert.equal(response.status, 200, await response.clone().text());
    return ConnectOffer.parse(await response.json());
  }
}
