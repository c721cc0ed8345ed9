import type { Duplex } from 'node:stream';
import type { ByteLink } from '../link/byte-link.js';
import { LinkEvents } from '../link/link-events.js';

/** ByteLink over any Node Duplex (net.Socket, tls.TLSSocket, stream pairs). */
export function createDuplexLink(stream: Duplex): ByteLink {
  const events = new LinkEvents();
  let lastError: Error | undefined;
  stream.on('data', (chunk: Buffer) => events.emitData(chunk));
  stream.on('error', (error: Error) => (lastError = error));
  stream.on('end', () => {
    events.emitClose(lastError);
    stream.end();
  });
  stream.on('close', () =>
    events.emitClose(lastError ?? (stream.readableEnded ? undefined : new Error('link reset'))),
  );
  return {
    write: (bytes) => writeWithBackpressure(stream, events, bytes),
    onData: (handler) => events.setDataHandler(handler),
    onClose: (handler) => events.setCloseHandler(handler),
    close(error) {
      if (events.closed) return;
      events.emitClose(error);
      if (error) stream.destroy();
      else stream.end();
    },
  };
}

function writeWithBackpressure(stream: Duplex, events: LinkEvents, bytes: Uint8Array): Promise<void> {
  if (events.closed || stream.destroyed) return Promise.reject(new Error('link closed'));
  if (stream.write(bytes)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      if (stream.destroyed) reject(new Error('link closed'));
      else resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
