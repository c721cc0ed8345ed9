/** The gateway's HTTP surface, shared by the gateway, the SDK and the CLI. */
export const ApiPath = {
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  jwks: '/.well-known/jwks.json',
  session: '/api/v1/session',
  hosts: '/api/v1/hosts',
  host: (hostId: string) => `/api/v1/hosts/${encodeURIComponent(hostId)}`,
  enrollmentTokens: '/api/v1/enrollment-tokens',
  registerAgent: '/api/v1/agents/register',
  connect: (hostId: string) => `/api/v1/hosts/${encodeURIComponent(hostId)}/connect`,
  /** Admin: the caller's account's SAML IdP (PUT metadata XML). */
  accountSso: '/api/v1/account/sso',
  samlLogin: (accountId: string) => `/saml/${encodeURIComponent(accountId)}/login`,
  samlAcs: (accountId: string) => `/saml/${encodeURIComponent(accountId)}/acs`,
  samlMetadata: (accountId: string) => `/saml/${encodeURIComponent(accountId)}/metadata`,
  /** WebSocket: live presence of the user's hosts (`HostEvent`). */
  events: '/api/v1/events',
} as const;

/**
 * Every service's operations endpoints, on its ops port (and on the gateway's main port too): liveness,
 * readiness naming each dependency, and Prometheus metrics.
 */
export const OpsPath = {
  live: '/health/live',
  ready: '/health/ready',
  metrics: '/metrics',
} as const;

export const DefaultPort = {
  gateway: 8080,
  relay: 8200,
  poll: 8201,
  agentDirectFirst: 53000,
  agentDirectLast: 53010,
} as const;
