import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { type MessagePort, parentPort } from 'node:worker_threads';
import { acceptChannel } from '../channel/channel-handshake.js';
import type { MuxStream } from '../mux/mux-stream.js';
import { StreamMux } from '../mux/stream-mux.js';
import { createDuplexLink } from '../node/duplex-link.adapter.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';

/**
 * The receiving end of the throughput bench: connects to the sender, counts plain bytes, then accepts a
 * secure channel on the same socket and drains one mux stream. Runs in the sender's thread or in a
 * worker thread of its own (its own event loop, as a real peer would have).
 */
export class BenchReceiver {
  private socket: Socket | null = null;
  private incoming: Promise<MuxStream> | null = null;

  /** A negative port asks for Nagle's algorithm off (setNoDelay). */
  async connect(port: number): Promise<void> {
    const socket = connect(Math.abs(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.setNoDelay(port < 0);
    this.socket = socket;
  }

  /** Resolves once `bytes` raw bytes have arrived. */
  receivePlain(bytes: number): Promise<void> {
    const socket = this.requireSocket();
    let received = 0;
    return new Promise((resolve) => {
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received < bytes) return;
        socket.off('data', onData);
        resolve();
      };
      socket.on('data', onData);
    });
  }

  /** Starts accepting a channel on the socket; returns the static public key the sender must expect. */
  async acceptSecure(): Promise<Uint8Array> {
    const backend = createNodeCryptoBackend();
    const staticKeyPair = await backend.generateKeyPair();
    const accepted = acceptChannel(createDuplexLink(this.requireSocket()), { staticKeyPair, backend });
    this.incoming = accepted.then(
      (channel) => new Promise((resolve) => new StreamMux(channel).onStream(resolve)),
    );
    return staticKeyPair.publicKey;
  }

  private requireSocket(): Socket {
    if (!this.socket) throw new Error('connect first');
    return this.socket;
  }

  /** Reads the sender's stream to its end; returns the byte count. */
  async receiveStream(): Promise<number> {
    if (!this.incoming) throw new Error('acceptSecure first');
    let received = 0;
    for await (const chunk of await this.incoming) received += chunk.length;
    return received;
  }
}

export type ReceiverMethod = 'connect' | 'receivePlain' | 'acceptSecure' | 'receiveStream';
export interface ReceiverCall {
  readonly id: number;
  readonly method: ReceiverMethod;
  readonly arg: number;
}
export interface ReceiverReply {
  readonly id: number;
  readonly result?: number | Uint8Array | undefined;
  readonly error?: string;
}

export function callReceiver(
  receiver: BenchReceiver,
  method: ReceiverMethod,
  arg: number,
): Promise<number | Uint8Array | void> {
  switch (method) {
    case 'connect':
      return receiver.connect(arg);
    case 'receivePlain':
      return receiver.receivePlain(arg);
    case 'acceptSecure':
      return receiver.acceptSecure();
    case 'receiveStream':
      return receiver.receiveStream();
  }
}

/** Worker entry: answers calls posted by the bench's main thread. */
export function serveReceiver(port: MessagePort): void {
  const receiver = new BenchReceiver();
  port.on('message', (call: ReceiverCall) => {
    callReceiver(receiver, call.method, call.arg).then(
      (result) => port.postMessage({ id: call.id, result: result ?? undefined } satisfies ReceiverReply),
      (error: Error) => port.postMessage({ id: call.id, error: error.message } satisfies ReceiverReply),
    );
  });
}

if (parentPort) serveReceiver(parentPort);
