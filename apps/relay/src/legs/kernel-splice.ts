import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/**
 * How the pair's thread frames each side when at least one leg speaks WebSocket
 * (`native/websocket-forward.cc`): leg A first, then leg B.
 */
export interface Framing {
  websocket: [boolean, boolean];
  /** Bytes Node had read from each socket before the hand-over (frames from a WebSocket leg). */
  preload: [Buffer, Buffer];
  /** A longer data message from a WebSocket leg closes it with 1009. */
  maxMessageBytes: number;
}

/** The addon built from `native/socket-splice.cc` (see there and beside it for why it is hand-written). */
interface SpliceAddon {
  start(fdA: number, fdB: number, done: (error: string | null) => void, framing?: Framing): object;
  counters(handle: object): [number, number];
  stop(handle: object): void;
}

/** What Node keeps on a connected TCP socket: its libuv handle (not public API, stable since Node 0.x). */
interface TcpHandle {
  fd: number;
  reading: boolean;
  readStop(): number;
}

const ADDON_PATH = '../../build/Release/socket_splice.node';

function loadAddon(): SpliceAddon | Error {
  if (process.platform !== 'linux') return new Error('splice(2) is Linux-only');
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as SpliceAddon;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const addon = loadAddon();

/** Why kernel splice cannot be used in this process, or undefined when it can. */
export function kernelSpliceUnavailable(): string | undefined {
  return addon instanceof Error ? addon.message : undefined;
}

/** A running kernel splice of two sockets. */
export interface KernelSplice {
  /** Bytes moved so far, [a to b, b to a]. */
  counters(): [number, number];
  /** Ends the splice; `done` follows with 'stopped'. */
  stop(): void;
}

function handleOf(socket: Socket): TcpHandle | undefined {
  const handle = (socket as unknown as { _handle?: Partial<TcpHandle> | null })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 && typeof handle.readStop === 'function'
    ? (handle as TcpHandle)
    : undefined;
}

/** Whether `socket` can be handed to the kernel: open, still readable and backed by a real fd. */
export function canSpliceInKernel(socket: Socket): boolean {
  return !socket.destroyed && socket.readable && socket.writable && handleOf(socket) !== undefined;
}

/**
 * Takes `socket` away from Node's stream machinery: stops its reads for good and returns what it had
 * already read (bytes after the hello, say) so the caller can forward them before the kernel takes over.
 */
export function detachReads(socket: Socket): Buffer {
  const handle = handleOf(socket);
  if (!handle) throw new Error('socket has no fd to splice');
  socket.pause();
  handle.reading = false;
  handle.readStop();
  // read() below would otherwise restart the handle; from now on only the splice thread reads this fd.
  (socket as unknown as { _read: () => void })._read = () => undefined;
  // An EOF already seen by Node must not make it end the writable side by itself: the splice half-closes.
  socket.allowHalfOpen = true;
  const chunks: Buffer[] = [];
  for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null)
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Resolves once everything written to `socket` so far (and `bytes`) has reached the kernel. */
export function flushed(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('socket closed before the splice'));
    socket.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Hands two detached, flushed sockets to a thread of their own: spliced in the kernel, or with `framing`,
 * forwarded frame by frame. `done` is called once, on the JS thread, after the thread has let go of both
 * fds: only then may the sockets be destroyed.
 */
export function startKernelSplice(
  a: Socket,
  b: Socket,
  done: (error: string | null) => void,
  framing?: Framing,
): KernelSplice {
  if (addon instanceof Error) throw addon;
  const [handleA, handleB] = [handleOf(a), handleOf(b)];
  if (!handleA || !handleB) throw new Error('socket has no fd to splice');
  const running = framing
    ? addon.start(handleA.fd, handleB.fd, done, framing)
    : addon.start(handleA.fd, handleB.fd, done);
  return {
    counters: () => addon.counters(running),
    stop: () => addon.stop(running),
  };
}
