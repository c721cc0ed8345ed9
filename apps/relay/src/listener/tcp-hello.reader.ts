import type { Socket } from 'node:net';
import { RELAY_MAX_HELLO_BYTES } from '@hostlink/protocol';

export type HelloResult = { ok: true; hello: Buffer } | { ok: false; message: string };

/**
 * Reads one length-prefixed hello from a TCP leg, starting with bytes already read while sniffing.
 * Anything after the hello is pushed back onto the socket, which is left paused for the splice.
 */
export function readTcpHello(socket: Socket, initial: Buffer, done: (result: HelloResult) => void): void {
  let buffered = initial;
  const check = (): boolean => {
    if (buffered.length < 4) return false;
    const length = buffered.readUInt32BE(0);
    if (length === 0 || length > RELAY_MAX_HELLO_BYTES) {
      finish({ ok: false, message: `hello must be 1..${RELAY_MAX_HELLO_BYTES} bytes` });
      return true;
    }
    if (buffered.length < 4 + length) return false;
    const rest = buffered.subarray(4 + length);
    if (rest.length > 0) socket.unshift(rest);
    finish({ ok: true, hello: buffered.subarray(4, 4 + length) });
    return true;
  };
  const onData = (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    check();
  };
  const finish = (result: HelloResult) => {
    socket.off('data', onData);
    socket.pause();
    done(result);
  };
  if (!check()) socket.on('data', onData);
}
