import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Hand-written test infrastructure, not production code: a TCP forwarder on a loopback port.
 *
 * With several backends it is the load balancer of a Kubernetes Service in front of the poll instances:
 * each new connection goes to the next backend in turn, and a backend that refuses the connection is
 * skipped. With one backend it is a cable that a test can cut (every connection reset, new ones refused
 * at once) and plug back in, e.g. in front of Postgres.
 */
export interface TcpForwarder {
  readonly port: number;
  /** Resets every forwarded connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Listens on a free loopback port; forwards to `backendPorts` on `backendHost`. */
export async function startTcpForwarder(
  backendPorts: readonly number[],
  backendHost = '127.0.0.1',
): Promise<TcpForwarder> {
  if (backendPorts.length === 0) throw new Error('a TCP forwarder needs at least one backend');
  const open = new Set<Socket>();
  let next = 0;
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.resetAndDestroy();
    track(open, client);
    client.pause();
    const first = next++ % backendPorts.length;
    dialInTurn({ host: backendHost, ports: backendPorts }, first, 0, (backend) => {
      if (!backend || cut || client.destroyed) {
        backend?.destroy();
        return void client.resetAndDestroy();
      }
      track(open, backend);
      splice(client, backend);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    close: () => {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Tries backends from `index` on, once each; calls back with the first that accepts, or null. */
function dialInTurn(
  backends: { host: string; ports: readonly number[] },
  index: number,
  tried: number,
  done: (socket: Socket | null) => void,
): void {
  const { host, ports } = backends;
  if (tried === ports.length) return done(null);
  const socket = connect(ports[index % ports.length]!, host);
  const refused = () => dialInTurn(backends, index + 1, tried + 1, done);
  socket.once('error', refused);
  socket.once('connect', () => {
    socket.off('error', refused);
    done(socket);
  });
}

/** Bytes both ways; an abrupt end on one side is an abrupt end on the other (a reset stays a reset). */
function splice(client: Socket, backend: Socket): void {
  client.pipe(backend);
  backend.pipe(client);
  client.resume();
  const abort = (other: Socket) => () => {
    if (!other.destroyed) other.resetAndDestroy();
  };
  client.on('error', abort(backend));
  backend.on('error', abort(client));
  client.on('close', () => backend.end());
  backend.on('close', () => client.end());
}

function track(open: Set<Socket>, socket: Socket): void {
  open.add(socket);
  socket.on('error', () => undefined);
  socket.once('close', () => open.delete(socket));
}
