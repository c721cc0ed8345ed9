import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * One TCP address in front of several poll instances, like a Service in front of pods: each connection goes
 * to the first backend that accepts it, so every agent lands on one instance and, once that one is killed,
 * reconnects to the next. Bytes are piped as they are; WebSocket frames pass untouched.
 */
export class FirstUpBalancer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly backends: readonly number[],
  ) {}

  static async start(backendPorts: readonly number[]): Promise<FirstUpBalancer> {
    const server = createServer({ noDelay: true });
    const balancer = new FirstUpBalancer(server, backendPorts);
    server.on('connection', (client) => void balancer.route(client));
    // Like a kernel load balancer, it must not drop a reconnect burst: queue what the kernel allows.
    server.listen({ port: 0, host: '127.0.0.1', backlog: 8192 });
    await once(server, 'listening');
    return balancer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async route(client: Socket): Promise<void> {
    this.track(client);
    client.pause();
    client.on('error', () => client.destroy());
    for (const port of this.backends) {
      const backend = await dial(port);
      if (!backend) continue;
      if (client.destroyed) return void backend.destroy();
      this.track(backend);
      backend.on('error', () => backend.destroy());
      // A backend that dies (kill -9) closes its side: the agent sees its connection drop.
      backend.on('close', () => client.destroy());
      client.on('close', () => backend.destroy());
      client.pipe(backend);
      backend.pipe(client);
      client.resume();
      return;
    }
    client.destroy();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}

function dial(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => resolve(undefined));
  });
}
