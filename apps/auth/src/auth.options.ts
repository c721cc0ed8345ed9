/** What the composing app gives the auth module, built from its validated config. */
export interface AuthOptions {
  /** `iss` of every access token; the broker pins it. */
  issuer: string;
  /** Defaults to `Lifetime.accessSeconds`. */
  accessTokenTtlSeconds?: number;
  /** Clock skew accepted on SAML NotBefore / NotOnOrAfter; defaults to 60 s. */
  samlClockSkewSeconds?: number;
  /** For tests: the time source used for token lifetimes, rate limits and audit entries. */
  clock?: () => Date;
}

export interface ResolvedAuthOptions {
  issuer: string;
  accessTokenTtlSeconds: number;
  samlClockSkewSeconds: number;
}

export const DEFAULT_SAML_CLOCK_SKEW_SECONDS = 60;

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
/** `() => Date`: every "now" in the service comes from here so tests can move time. */
export const CLOCK = Symbol('AUTH_CLOCK');
export type Clock = () => Date;
