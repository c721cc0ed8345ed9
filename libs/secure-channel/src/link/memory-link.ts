import type { ByteLink } from './byte-link.js';
import { LinkEvents } from './link-events.js';

export interface MemoryLinkOptions {
  /** Re-chunks each write, e.g. at random points, to mimic a relay that ignores boundaries. */
  readonly split?: (bytes: Uint8Array) => Uint8Array[];
}

/** Two connected in-memory links, for tests and in-process wiring. */
export function createMemoryLinkPair(options: MemoryLinkOptions = {}): [ByteLink, ByteLink] {
  const a = new LinkEvents();
  const b = new LinkEvents();
  return [memoryLink(a, b, options), memoryLink(b, a, options)];
}

function memoryLink(local: LinkEvents, remote: LinkEvents, options: MemoryLinkOptions): ByteLink {
  const split = options.split ?? ((bytes: Uint8Array) => [bytes]);
  return {
    write(bytes) {
      if (local.closed) return Promise.reject(new Error('memory link closed'));
      // Copied because a real socket would not let the writer's later edits reach the peer.
      const pieces = split(Uint8Array.from(bytes));
      queueMicrotask(() => pieces.forEach((piece) => remote.emitData(piece)));
      return Promise.resolve();
    },
    onData: (handler) => local.setDataHandler(handler),
    onClose: (handler) => local.setCloseHandler(handler),
    close(error) {
      if (local.closed) return;
      local.emitClose(error);
      queueMicrotask(() => remote.emitClose());
    },
  };
}
