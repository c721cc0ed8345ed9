import type { Socket } from 'node:net';
import { type RelayReply, encodeRelayTcpMessage } from '@hostlink/protocol';
import type { Taken, ThreadedLeg } from './in-thread.js';
import { canSpliceInKernel, detachReads, flushed } from './kernel-splice.js';

/** A raw TCP leg: replies are a 4-byte big-endian length and UTF-8 JSON, then plain bytes both ways. */
export class TcpLeg implements ThreadedLeg {
  readonly transport = 'tcp';

  /** Set while the kernel splices this socket: Node must not close the fd under the splice thread. */
  private stopKernelSplice?: () => void;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  reply(reply: RelayReply): void {
    this.socket.write(encodeRelayTcpMessage(reply));
  }

  fail(code: string, message: string): void {
    if (this.socket.destroyed) return;
    this.socket.end(encodeRelayTcpMessage({ type: 'error', code, message }));
    // A peer that never reads must not hold the socket open.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  write(chunk: Buffer): boolean {
    return this.socket.write(chunk);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.socket.on('data', listener);
    this.socket.resume();
  }

  onDrain(listener: () => void): void {
    this.socket.on('drain', listener);
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  end(): void {
    this.socket.end();
  }

  handOverSocket(): Socket | undefined {
    return canSpliceInKernel(this.socket) ? this.socket : undefined;
  }

  detach(): Taken {
    return { unread: detachReads(this.socket), messages: [] };
  }

  deliver(payloads: Buffer[]): Promise<void> {
    return flushed(this.socket, Buffer.concat(payloads));
  }

  /** Hands the socket to a native thread: `destroy` now asks it to stop, and it destroys the socket. */
  handOver(stop: () => void): void {
    this.stopKernelSplice = stop;
  }

  destroy(): void {
    if (this.stopKernelSplice) return this.stopKernelSplice();
    this.socket.destroy();
  }
}
