import { connect } from 'node:net';
import { ErrorCode, HostlinkError, type Candidate } from '@hostlink/protocol';
import type { ByteLink } from '@hostlink/secure-channel';
import { createDuplexLink, SocketReads } from '@hostlink/secure-channel/node';
import type { LinkFactory } from '../connection/link-factory.js';
import { dialRelay } from './relay-dialer.js';

const DIRECT_CONNECT_TIMEOUT_MS = 3_000;

/** Relay legs over TCP or WebSocket, direct candidates over plain TCP (the channel encrypts). */
export function createNodeLinkFactory(options: { pairingTimeoutMs?: number } = {}): LinkFactory {
  return {
    // Raw TCP legs when offered: no WebSocket framing or masking on every byte.
    relay: (address, ticket) => dialRelay(address.tcpUrl ?? address.url, ticket, options.pairingTimeoutMs),
    direct: dialDirect,
  };
}

export function dialDirect(candidate: Candidate): Promise<ByteLink> {
  return new Promise((resolve, reject) => {
    const reads = new SocketReads();
    const socket = connect({
      host: candidate.address,
      port: candidate.port,
      noDelay: true,
      onread: reads.onread,
    });
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), DIRECT_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(createDuplexLink(socket, { reads }));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new HostlinkError(
          ErrorCode.Unavailable,
          `${candidate.address}:${candidate.port} unreachable (${error.message})`,
        ),
      );
    });
  });
}
