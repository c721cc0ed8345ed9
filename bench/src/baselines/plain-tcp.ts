import { once } from 'node:events';
import { type AddressInfo, connect, createServer } from 'node:net';

/** Seconds to push `bytes` through a loopback TCP connection with no crypto and no protocol. */
export async function plainTcpCopy(bytes: number): Promise<number> {
  const block = Buffer.alloc(1 << 20, 7);
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= bytes) done();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const started = performance.now();
  for (let sent = 0; sent < bytes; sent += block.length) {
    if (!client.write(block.subarray(0, Math.min(block.length, bytes - sent)))) await once(client, 'drain');
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  server.close();
  return seconds;
}
