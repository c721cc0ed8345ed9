import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { SecureChannelError, SecureChannelErrorCode } from '@hostlink/secure-channel';

/** The protocol's bound on `avoidRelayIds`. */
export const MAX_AVOIDED_RELAYS = 8;

/** Connections one command opens at most before it gives up (the first one included). */
export const MAX_CONNECTION_ATTEMPTS = 6;

/**
 * Whether a new connection may well succeed where this one failed: the path to the host broke (a relay
 * died, the channel closed) or the server said it is unavailable for now. Never after an integrity failure
 * (a tampering relay is not retried through blindly) nor after a refusal of the request itself.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof SecureChannelError) return error.code === SecureChannelErrorCode.Closed;
  return error instanceof HostlinkError && error.code === ErrorCode.Unavailable;
}

/** The first retry at once (another relay is likely fine), then 1 s, 2 s, 4 s…: a server given time. */
export function reconnectDelayMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(1000 * 2 ** (failures - 2), 8000);
}
