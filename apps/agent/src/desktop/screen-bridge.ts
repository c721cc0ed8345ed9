import { connect, type Socket } from 'node:net';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import type { MuxStream } from '@hostlink/secure-channel';
import { spliceSocketAndStream } from '@hostlink/client-sdk/node';
import type { DesktopConfig } from '../config/agent-config.js';

/** How long the host's VNC server gets to accept before the client is told it is not there. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Bridges one channel stream to the host's VNC server: RFB bytes pass through untouched both ways (the
 * VNC server does its own authentication; the channel already proved who the client is). Either side
 * ending ends the other.
 */
export class ScreenBridge {
  constructor(private readonly desktop: DesktopConfig | undefined) {}

  /** Connects first, so the client hears "no screen" as an error reply rather than a dead stream. */
  async open(): Promise<Socket> {
    if (!this.desktop)
      throw new HostlinkError(
        ErrorCode.NotFound,
        'this host shares no screen (hostlink-agent desktop --vnc)',
      );
    const [host, port] = splitAddress(this.desktop.vnc);
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => socket.destroy(new Error('timeout')), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new HostlinkError(
            ErrorCode.Unavailable,
            `the host's VNC server is not answering (${error.message})`,
          ),
        );
      });
    });
  }

  /** Pumps both directions until one ends; the stream's credit paces the socket. */
  splice(socket: Socket, stream: MuxStream): Promise<void> {
    return spliceSocketAndStream(socket, stream);
  }
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
