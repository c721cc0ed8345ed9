export interface RelayOptions {
  /** This instance's id: tickets name it in their audience, `hostlink:relay:<relayId>`. */
  relayId: string;
  port: number;
  host: string;
  /** The URL clients and agents reach this instance at; reported with the load so the broker can hand it out. */
  publicUrl: string;
  /** Its raw TCP legs as peers reach them (`tcp://host:port`), when they can; reported beside `publicUrl`. */
  publicTcpUrl?: string;
  /** How long a leg waits for its partner before it is closed with an error. */
  pairTimeoutMs: number;
  /** When set, tickets must carry this `iss` (the broker's issuer). */
  issuer?: string;
  /**
   * Page origins whose browsers may open WebSocket legs (the gateway's). An upgrade carrying any other
   * Origin is refused; agents and the CLI send none.
   */
  browserOrigins: readonly string[];
  /** How often the load is published; defaults to 5 s. */
  loadIntervalMs?: number;
}

export const RELAY_OPTIONS = Symbol('RELAY_OPTIONS');

/** WebSocket messages after pairing carry ciphertext records; this bounds one message. */
export const RELAY_WS_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
