import type { SigningKeyOwner } from '@hostlink/persistence';

/** What a service gives its key ring, built from its own resolved options. */
export interface TokenKeysOptions {
  /** Whose keys: each service signs with its own keys, kept apart in the shared table. */
  owner: SigningKeyOwner;
  /** `iss` of every token signed, pinned when verifying them. */
  issuer: string;
  /** How long a retired key stays published and accepted: the lifetime of the longest-lived token it signed. */
  retiredKeyGraceSeconds: number;
  /** Every "now" (key creation, retirement, token lifetimes) comes from here so tests can move time. */
  clock: () => Date;
}

export const TOKEN_KEYS_OPTIONS = Symbol('TOKEN_KEYS_OPTIONS');
