import { createServer, type Server } from 'node:net';
import type { HostConnection } from '@hostlink/client-sdk';
import { spliceSocketAndStream } from '@hostlink/client-sdk/node';

export interface VncPort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A local TCP port (loopback only) where any VNC viewer reaches the host's screen: each viewer gets its
 * own channel stream, bridged by the agent to the host's VNC server. RFB stays inside the encrypted channel.
 */
export async function exposeScreen(
  connection: HostConnection,
  port: number,
  onError: (message: string) => void,
): Promise<VncPort> {
  const server: Server = createServer({ noDelay: true }, (socket) => {
    socket.pause();
    connection.desktop.openScreen().then(
      (stream) => {
        socket.resume();
        return spliceSocketAndStream(socket, stream);
      },
      (error: unknown) => {
        onError(error instanceof Error ? error.message : String(error));
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
