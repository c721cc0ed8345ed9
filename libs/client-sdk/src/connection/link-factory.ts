import type { Candidate } from '@hostlink/protocol';
import type { ByteLink } from '@hostlink/secure-channel';

/** How this platform reaches a host: Node has TCP for direct candidates; browsers only the relay's WebSocket. */
export interface LinkFactory {
  /** Opens a relay leg with its ticket and resolves once the relay says `paired`. */
  relay(url: string, ticket: string): Promise<ByteLink>;
  /** Absent where raw TCP does not exist (browsers). */
  direct?(candidate: Candidate): Promise<ByteLink>;
}
