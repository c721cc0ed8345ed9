import type { Policy } from '@hostlink/protocol';
import { StreamMux, type SecureChannel } from '@hostlink/secure-channel';
import { DesktopClient } from '../desktop/desktop-client.js';
import { FileClient } from '../files/file-client.js';
import { establishChannel, type EstablishOptions, type Route } from './establish-channel.js';

export interface HostConnectionOptions extends EstablishOptions {
  /** The host password; sent only inside the end-to-end encrypted channel. */
  readonly hostPassword: string;
}

/**
 * A logged-in, end-to-end encrypted connection to one host, with its file operations (inherited from
 * FileClient). Open with `HostConnection.open(...)` from a broker ConnectOffer.
 */
export class HostConnection extends FileClient {
  private constructor(
    private readonly channel: SecureChannel,
    mux: StreamMux,
    readonly route: Route,
    readonly hostName: string,
    readonly policy: Policy,
    private readonly relay: string | undefined,
  ) {
    super(mux);
    this.desktop = new DesktopClient(mux);
  }

  /** Screen and apps of the host. */
  readonly desktop: DesktopClient;

  static async open(options: HostConnectionOptions): Promise<HostConnection> {
    const { channel, route } = await establishChannel(options);
    const mux = new StreamMux(channel);
    try {
      const { hostName, policy } = await new FileClient(mux).login(options.offer.grant, options.hostPassword);
      return new HostConnection(channel, mux, route, hostName, policy, options.offer.relay?.id);
    } catch (error) {
      channel.close();
      throw error;
    }
  }

  /** The relay instance this connection goes through; undefined on a direct connection. */
  get relayId(): string | undefined {
    return this.route === 'relay' ? this.relay : undefined;
  }

  /** Application bytes sent and received on this connection (all streams). */
  get bytesSent(): number {
    return this.mux.bytesSent;
  }

  get bytesReceived(): number {
    return this.mux.bytesReceived;
  }

  onClose(handler: (error?: Error) => void): void {
    this.channel.onClose(handler);
  }

  close(): void {
    this.channel.close();
  }
}
