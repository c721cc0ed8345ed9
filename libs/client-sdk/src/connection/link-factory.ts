import type { Candidate, ConnectOffer } from '@hostlink/protocol';
import type { ByteLink } from '@hostlink/secure-channel';

/** Where the assigned relay listens: its WebSocket `url`, and its raw TCP legs when it offers them. */
export type RelayAddress = Pick<NonNullable<ConnectOffer['relay']>, 'url' | 'tcpUrl'>;

/** How this platform reaches a host: Node has TCP for direct candidates; browsers only the relay's WebSocket. */
export interface LinkFactory {
  /** Opens a relay leg with its ticket and resolves once the relay says `paired`. */
  relay(address: RelayAddress, ticket: string): Promise<ByteLink>;
  /** Absent where raw TCP does not exist (browsers). */
  direct?(candidate: Candidate): Promise<ByteLink>;
}
