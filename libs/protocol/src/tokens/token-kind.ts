/**
 * Every token kind has its own JWT `typ` and audience, and each verifier accepts exactly one kind:
 * an access token is never a session token, a relay ticket never a connection grant.
 */
export const TokenKind = {
  Access: 'at+jwt',
  Session: 'hostlink-session+jwt',
  ConnectionGrant: 'hostlink-grant+jwt',
  RelayTicket: 'hostlink-relay-ticket+jwt',
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export const Audience = {
  /** OAuth access tokens are for the broker's session exchange only. */
  Access: 'hostlink:broker',
  Session: 'hostlink:api',
  /** Grants name the host they are for: `hostlink:host:<hostId>`. */
  grantFor: (hostId: string) => `hostlink:host:${hostId}`,
  /** Relay tickets name the relay instance: `hostlink:relay:<relayId>`. */
  ticketFor: (relayId: string) => `hostlink:relay:${relayId}`,
} as const;

/** Opaque (non-JWT) secrets carry a prefix so a secret of one kind is recognisably refused as another. */
export const OpaquePrefix = {
  Refresh: 'hlr_',
  Enrollment: 'hle_',
  /** One-time sign-in code of the SAML browser flow. */
  SignInCode: 'hlc_',
} as const;

export const Lifetime = {
  accessSeconds: 300,
  refreshSeconds: 30 * 24 * 3600,
  sessionSeconds: 3600,
  enrollmentSeconds: 3600,
  grantSeconds: 60,
  ticketSeconds: 60,
  /** A sign-in code is redeemed right after the redirect. */
  signInCodeSeconds: 60,
  /** How long an AuthnRequest waits for its answer. */
  samlRequestSeconds: 600,
} as const;
