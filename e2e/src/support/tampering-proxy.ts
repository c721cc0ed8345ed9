import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A relay in front of the real relay that flips one bit of the ciphertext it forwards to clients, once a
 * given number of bytes has passed: what a compromised relay or a meddling network could do.
 */
export class TamperingProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  tampered = false;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly flipAfterBytes: number,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(leg: Socket): void {
    const upstream = connect(this.target);
    this.sockets.add(leg).add(upstream);
    let role: 'client' | 'agent' | undefined;
    let toLeg = 0;
    leg.once('data', (hello: Buffer) => {
      role = roleOfHello(hello);
      upstream.write(hello);
      leg.pipe(upstream);
    });
    upstream.on('data', (chunk: Buffer) => {
      const start = toLeg;
      toLeg += chunk.length;
      if (
        role === 'client' &&
        !this.tampered &&
        start <= this.flipAfterBytes &&
        toLeg > this.flipAfterBytes
      ) {
        chunk[this.flipAfterBytes - start]! ^= 0x01;
        this.tampered = true;
      }
      leg.write(chunk);
    });
    leg.on('close', () => upstream.destroy());
    upstream.on('close', () => leg.destroy());
    leg.on('error', () => upstream.destroy());
    upstream.on('error', () => leg.destroy());
  }
}

/** Reads the role claim of the ticket in a TCP hello without verifying it: the proxy is not the relay. */
function roleOfHello(hello: Buffer): 'client' | 'agent' | undefined {
  try {
    const { ticket } = JSON.parse(hello.subarray(4, 4 + hello.readUInt32BE(0)).toString('utf8')) as {
      ticket: string;
    };
    const claims = JSON.parse(Buffer.from(ticket.split('.')[1]!, 'base64url').toString('utf8')) as {
      role?: string;
    };
    return claims.role === 'client' || claims.role === 'agent' ? claims.role : undefined;
  } catch {
    return undefined;
  }
}
