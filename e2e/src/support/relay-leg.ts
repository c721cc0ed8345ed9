import { once } from 'node:events';
import { type Socket, connect } from 'node:net';

/** Where a relay URL (tcp://, ws:// or http://) points, for dialing it with a raw socket. */
export function relayAddress(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

export async function dial(url: string): Promise<Socket> {
  const socket = connect(relayAddress(url));
  await once(socket, 'connect');
  return socket;
}

/** Sends a TCP leg's hello (4-byte length + JSON) and reads the relay's one reply, or null if it just closed. */
export async function sendHello(
  socket: Socket,
  hello: unknown,
): Promise<{ type: string; code?: string } | null> {
  const body = Buffer.from(JSON.stringify(hello));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  socket.write(Buffer.concat([header, body]));
  return readReply(socket);
}

export function readReply(socket: Socket): Promise<{ type: string; code?: string } | null> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const length = buffered.readUInt32BE(0);
      if (buffered.length < 4 + length) return;
      socket.off('data', onData);
      resolve(
        JSON.parse(buffered.subarray(4, 4 + length).toString('utf8')) as { type: string; code?: string },
      );
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(null));
  });
}
