import type { Leg } from './leg.js';
import { TcpLeg } from './tcp-leg.js';

/**
 * Joins two paired legs byte for byte, never looking inside. Flow control: a writer that reports a full
 * buffer pauses its source until it drains. Calls `onEnd` once, when both legs are gone.
 */
export function splice(a: Leg, b: Leg, onEnd: () => void): void {
  let open = 2;
  const closed = () => {
    open -= 1;
    if (open === 0) onEnd();
  };
  a.onClose(closed);
  b.onClose(closed);
  if (a instanceof TcpLeg && b instanceof TcpLeg) return pipeSockets(a, b);
  forward(a, b);
  forward(b, a);
}

function forward(from: Leg, to: Leg): void {
  from.onData((chunk) => {
    if (!to.write(chunk)) from.pause();
  });
  to.onDrain(() => from.resume());
  // When one side goes, the other is ended gracefully so what it already has is still delivered.
  from.onClose(() => to.end());
}

/** TCP to TCP: the streams' own pipe does backpressure with no extra work per chunk. */
function pipeSockets(a: TcpLeg, b: TcpLeg): void {
  a.socket.pipe(b.socket);
  b.socket.pipe(a.socket);
  const destroyBoth = () => {
    a.socket.destroy();
    b.socket.destroy();
  };
  a.socket.on('error', destroyBoth);
  b.socket.on('error', destroyBoth);
  // pipe() ends the writer when the reader ends; a reset must tear the other side down too.
  a.socket.once('close', () => b.socket.end());
  b.socket.once('close', () => a.socket.end());
  a.socket.resume();
  b.socket.resume();
}
