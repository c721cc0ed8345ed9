import type { Socket } from 'node:net';
import type { MuxStream } from '@hostlink/secure-channel';

/**
 * Pumps a TCP socket and a channel stream into each other until either ends: the agent's bridge to the
 * host's VNC server and the CLI's local VNC port both use it. The stream's credit paces the socket; a
 * failure on one side tears down the other.
 */
export async function spliceSocketAndStream(socket: Socket, stream: MuxStream): Promise<void> {
  socket.on('error', () => stream.reset('socket closed'));
  const upstream = (async () => {
    try {
      for await (const chunk of stream) if (!socket.write(chunk)) await drained(socket);
      socket.end();
    } catch {
      // The other side hung up or the channel closed: nobody reads this socket any more.
      socket.destroy();
    }
  })();
  try {
    for await (const chunk of socket as AsyncIterable<Buffer>) await stream.write(chunk);
    await stream.end().catch(() => undefined);
  } catch {
    stream.reset('socket closed');
  } finally {
    socket.destroy();
  }
  await upstream;
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}
