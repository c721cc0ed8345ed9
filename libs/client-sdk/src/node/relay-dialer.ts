import { connect } from 'node:net';
import WebSocket from 'ws';
import { ErrorCode, HostlinkError, RELAY_MAX_HELLO_BYTES, encodeRelayTcpMessage } from '@hostlink/protocol';
import type { ByteLink } from '@hostlink/secure-channel';
import { createDuplexLink, SocketReads } from '@hostlink/secure-channel/node';
import {
  DEFAULT_PAIRING_TIMEOUT_MS,
  pairOverWebSocket,
  parseReply,
  relayError,
  type RelayWebSocket,
} from '../connection/relay-websocket.js';

/** Opens a relay leg: `tcp://host:port` (length-prefixed JSON hello) or `ws(s)://host:port/relay`. */
export function dialRelay(
  url: string,
  ticket: string,
  timeoutMs = DEFAULT_PAIRING_TIMEOUT_MS,
): Promise<ByteLink> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(
      new HostlinkError(ErrorCode.BadRequest, `unusable relay address ${JSON.stringify(url)}`),
    );
  }
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') {
    const socket = new WebSocket(url, { maxPayload: 1024 * 1024 });
    socket.on('error', () => undefined); // surfaced through 'close'
    return pairOverWebSocket(socket as unknown as RelayWebSocket, ticket, timeoutMs);
  }
  if (parsed.protocol === 'tcp:') return pairOverTcp(parsed.hostname, Number(parsed.port), ticket, timeoutMs);
  return Promise.reject(
    new HostlinkError(ErrorCode.BadRequest, `unsupported relay address ${JSON.stringify(url)}`),
  );
}

function pairOverTcp(host: string, port: number, ticket: string, timeoutMs: number): Promise<ByteLink> {
  return new Promise((resolve, reject) => {
    const reads = new SocketReads();
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port, noDelay: true, onread: reads.onread });
    let buffered = Buffer.alloc(0);
    const fail = (error: HostlinkError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new HostlinkError(ErrorCode.Unavailable, 'the relay did not pair this connection in time')),
      timeoutMs,
    );
    const onConnect = () => socket.write(encodeRelayTcpMessage({ type: 'hello', ticket }));
    const onData = (chunk: Uint8Array) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const length = buffered.readUInt32BE(0);
      if (length > RELAY_MAX_HELLO_BYTES)
        return fail(new HostlinkError(ErrorCode.Unavailable, 'relay reply too large'));
      if (buffered.length < 4 + length) return;
      const reply = parseReply(buffered.subarray(4, 4 + length).toString('utf8'));
      if (reply.type === 'error') return fail(relayError(reply.code, reply.message));
      cleanup();
      // Ciphertext that arrived with `paired` goes to the link first (`buffered` is our own copy).
      const rest = buffered.subarray(4 + length);
      resolve(createDuplexLink(socket, { reads, initial: rest.length > 0 ? rest : undefined }));
    };
    const onError = (error: Error) =>
      fail(
        new HostlinkError(
          ErrorCode.Unavailable,
          `cannot reach the relay at ${host}:${port} (${error.message})`,
        ),
      );
    const onClose = () =>
      fail(new HostlinkError(ErrorCode.Unavailable, 'the relay closed the connection before pairing'));
    function cleanup() {
      clearTimeout(timer);
      socket.off('connect', onConnect).off('error', onError).off('close', onClose);
    }
    reads.listen(onData);
    socket.on('connect', onConnect).on('error', onError).on('close', onClose);
  });
}
