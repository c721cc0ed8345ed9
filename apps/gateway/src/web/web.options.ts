/** Where the built web client lives and what its page may talk to. */
export interface WebOptions {
  /** The web app's built files (`apps/web/dist/public`); absent: the gateway serves no page. */
  readonly root?: string;
  /** The gateway's public URL: its origin is the only one allowed to open WebSockets from a browser. */
  readonly publicUrl: string;
  /** WebSocket origins the page may connect to besides its own: the relays (`wss://relay.example.com`). */
  readonly connectSources: readonly string[];
}

export const WEB_OPTIONS = Symbol('WEB_OPTIONS');

/** The one browser origin the gateway's pages come from. */
export const pageOrigin = (options: Pick<WebOptions, 'publicUrl'>): string =>
  new URL(options.publicUrl).origin;
