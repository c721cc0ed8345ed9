import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { dialRelay } from '@hostlink/client-sdk/node';
import { type ByteLink, createWebSocketLink } from '@hostlink/secure-channel';
import { createDuplexLink } from '@hostlink/secure-channel/node';

/** Two ends of one byte path: what the agent writes into, what the client reads from. */
export interface PathEnds {
  sender: ByteLink;
  receiver: ByteLink;
}

/** A loopback TCP server whose every accepted connection is handed to the next waiting `accept`. */
export class Sink {
  private readonly waiting: ((socket: Socket) => void)[] = [];

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      socket.on('error', () => undefined); // surfaced through the link's close
      const accept = this.waiting.shift();
      // A forwarder's start-up probe is not a transfer.
      if (accept) accept(socket);
      else socket.destroy();
    });
  }

  static async listen(): Promise<Sink> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new Sink(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connects to `port` (this sink, or a forwarder in front of it) and returns both ends. */
  async through(port: number): Promise<PathEnds> {
    const accepted = new Promise<Socket>((resolve) => this.waiting.push(resolve));
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await once(socket, 'connect');
    return { sender: createDuplexLink(await accepted), receiver: createDuplexLink(socket) };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A direct WebSocket connection on loopback: the baseline for the relay's WebSocket legs. */
export async function directWebSocket(): Promise<{ ends: PathEnds; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1024 * 1024 });
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [serverSide] = await accepted;
  const ends = { sender: createWebSocketLink(serverSide), receiver: createWebSocketLink(client) };
  return { ends, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Both legs of one relayed connection, dialled as the agent and the client dial them. */
export async function relayed(url: string, tickets: { client: string; agent: string }): Promise<PathEnds> {
  const [sender, receiver] = await Promise.all([
    dialRelay(url, tickets.agent),
    dialRelay(url, tickets.client),
  ]);
  return { sender, receiver };
}
