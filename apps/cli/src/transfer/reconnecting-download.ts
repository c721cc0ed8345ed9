import { setTimeout as sleep } from 'node:timers/promises';
import type { HostConnection, Route } from '@hostlink/client-sdk';
import { isConnectionLoss, MAX_CONNECTION_ATTEMPTS, reconnectDelayMs } from '../remote/reconnect-policy.js';
import { RelayHistory } from '../remote/relay-history.js';
import { download, type DownloadRequest, type DownloadResult } from './download.js';
import type { Progress } from './progress.js';

export interface ReconnectOptions {
  readonly maxAttempts?: number;
  readonly wait?: (ms: number) => Promise<unknown>;
}

/**
 * `hostlink get` in one process despite a lost connection (a relay dying mid-transfer, say): asks the
 * broker for a new connection, avoiding the relay that failed, and resumes from the bytes already on disk
 * (every one of them authenticated by the channel). Gives up after a few attempts that brought nothing.
 */
export async function downloadReconnecting(
  connect: (relays: RelayHistory) => Promise<HostConnection>,
  request: DownloadRequest,
  progress: Progress,
  options: ReconnectOptions = {},
): Promise<DownloadResult> {
  const maxAttempts = options.maxAttempts ?? MAX_CONNECTION_ATTEMPTS;
  const wait = options.wait ?? sleep;
  const relays = new RelayHistory();
  let failures = 0;
  for (;;) {
    let route: Route | undefined;
    let received = 0;
    const counting: Progress = { ...progress, add: (bytes) => ((received += bytes), progress.add(bytes)) };
    try {
      const connection = await connect(relays);
      route = connection.route;
      try {
        return await download(connection, request, counting);
      } finally {
        connection.close();
      }
    } catch (error) {
      // Attempts that moved the download forward do not count against it.
      failures = received > 0 ? 1 : failures + 1;
      if (!isConnectionLoss(error) || failures >= maxAttempts) throw error;
      if (route !== 'direct') relays.blameLastOffered();
      const reason = error instanceof Error ? error.message : String(error);
      progress.reconnecting(route ? `connection lost (${reason})` : `no connection (${reason})`);
      await wait(reconnectDelayMs(failures));
    }
  }
}
