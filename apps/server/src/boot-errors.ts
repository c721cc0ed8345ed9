import { ConfigError } from '@hostlink/config';
import type { ServerSettings } from './server.config.js';

const PORT_VARIABLES: Record<keyof ServerSettings['ports'], string> = {
  gateway: 'HOSTLINK_GATEWAY_PORT',
  relay: 'HOSTLINK_RELAY_PORT',
  poll: 'HOSTLINK_POLL_PORT',
};

/** A boot failure as a person should read it: what went wrong and what to do next. */
export function explainBootError(error: unknown, ports?: ServerSettings['ports']): string {
  if (error instanceof ConfigError) {
    return `${error.message}\nFix the environment variables above (see the README's configuration section) and start again.`;
  }
  const { code, port, path } = error as { code?: string; port?: number; path?: string };
  const variable = ports ? Object.entries(ports).find(([, value]) => value === port)?.[0] : undefined;
  const setting = variable
    ? PORT_VARIABLES[variable as keyof typeof PORT_VARIABLES]
    : 'the HOSTLINK_*_PORT variables';
  if (code === 'EADDRINUSE') {
    return `Port ${port ?? '?'} is already in use. Stop the program using it, or choose another port with ${setting}.`;
  }
  if (code === 'EACCES' && port !== undefined) {
    return `Not allowed to listen on port ${port} (ports below 1024 need privileges). Choose another with ${setting}.`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return 'HOSTLINK_HOST is not an address of this machine. Use 127.0.0.1, 0.0.0.0 (all interfaces) or one of its addresses.';
  }
  if ((code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR') && path) {
    return `Cannot write the data folder (${path}). Point HOSTLINK_DATA_DIR at a writable folder.`;
  }
  return `Hostlink could not start: ${error instanceof Error ? error.message : String(error)}`;
}
