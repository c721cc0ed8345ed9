/** A relay the broker may assign when no fresh load report names a better one. */
export interface ConfiguredRelay {
  id: string;
  /** What clients and agents dial, e.g. `ws://127.0.0.1:8200/relay`. */
  url: string;
  /** Its raw TCP legs, e.g. `tcp://127.0.0.1:8200`, for peers that have sockets. */
  tcpUrl?: string;
}

/** What the composing app gives the broker module, built from its validated config. */
export interface BrokerOptions {
  /** `iss` of the broker's session tokens, connection grants and relay tickets. */
  issuer: string;
  /** `iss` of auth's access tokens, pinned when exchanging them for a session. */
  authIssuer: string;
  /** Returned to a newly registered agent: where it keeps its presence connection. */
  publicPollUrl: string;
  relays?: ConfiguredRelay[];
  /** For tests: the time source for token lifetimes, enrollment expiry and relay freshness. */
  clock?: () => Date;
}

export type ResolvedBrokerOptions = Required<Omit<BrokerOptions, 'clock'>>;

export const BROKER_OPTIONS = Symbol('BROKER_OPTIONS');
export const CLOCK = Symbol('BROKER_CLOCK');
export type Clock = () => Date;
