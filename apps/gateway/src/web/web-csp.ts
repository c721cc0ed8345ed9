import type { WebOptions } from './web.options.js';

/**
 * The page's Content-Security-Policy: scripts and styles only from the gateway's own files (no inline
 * code, no eval), network only to the gateway and the relays, previews only from blob: URLs the page made
 * itself, never framed. An injected `<script>` or event handler attribute does not run.
 */
export function pageContentSecurityPolicy(options: WebOptions): string {
  const connect = ["'self'", ...options.connectSources].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "frame-src 'self' blob:",
    "object-src 'none'",
    `connect-src ${connect}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Origins (scheme://host:port) of WebSocket URLs such as the relay's `ws://127.0.0.1:8200/relay`. */
export function webSocketOrigins(urls: readonly string[]): string[] {
  return [...new Set(urls.map((url) => new URL(url)).map((url) => `${url.protocol}//${url.host}`))];
}
