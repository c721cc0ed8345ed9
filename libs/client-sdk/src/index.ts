export { ApiClient, type FetchLike, type OAuthTokens } from './api/api-client.js';
export { errorFromResponse } from './api/api-errors.js';
export type { LinkFactory } from './connection/link-factory.js';
export {
  pairOverWebSocket,
  type RelayWebSocket,
  DEFAULT_PAIRING_TIMEOUT_MS,
} from './connection/relay-websocket.js';
export {
  establishChannel,
  base64UrlToBytes,
  bytesToBase64Url,
  type EstablishOptions,
  type Established,
  type Route,
  type Via,
} from './connection/establish-channel.js';
export { HostConnection, type HostConnectionOptions } from './connection/host-connection.js';
export { FileClient, type ReadOptions, type ReadResult } from './files/file-client.js';
export { errorFromReply } from './files/channel-errors.js';
export { DesktopClient } from './desktop/desktop-client.js';
