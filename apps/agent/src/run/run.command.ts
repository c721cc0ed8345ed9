import { POLL_PATH } from '@hostlink/protocol';
import { dialRelay } from '@hostlink/client-sdk/node';
import { createDuplexLink } from '@hostlink/secure-channel/node';
import { loadAgentConfig } from '../config/agent-config.js';
import { listenDirect, type DirectListener } from '../direct/direct-listener.js';
import { Logger } from '../log/logger.js';
import { PollClient } from '../poll/poll-client.js';
import { HostService } from '../session/host-service.js';

export interface RunOptions {
  readonly configDir: string;
  readonly direct: boolean;
  readonly directPorts: { first: number; last: number };
  readonly agentVersion: string;
  /** Passed on to the apps the agent launches. */
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** Runs until SIGINT/SIGTERM (clean: `bye` to poll, then exit 0) or a fatal poll refusal (exit 1). */
export async function run(options: RunOptions): Promise<number> {
  const config = await loadAgentConfig(options.configDir);
  const log = new Logger({ hostId: config.hostId });
  const host = new HostService(config, log, options.environment);
  let direct: DirectListener | null = null;
  if (options.direct) {
    direct = await listenDirect(
      options.directPorts.first,
      options.directPorts.last,
      (socket) => void host.serve(createDuplexLink(socket), 'direct'),
    );
    log.info('direct connections accepted', { port: direct.port });
  }
  let announced = false;
  return new Promise<number>((resolve) => {
    const poll = new PollClient({
      url: pollEndpoint(config.pollUrl),
      hostId: config.hostId,
      staticKey: config.staticKey,
      agentVersion: options.agentVersion,
      candidates: () => direct?.candidates() ?? [],
      onOnline: () => {
        log.info('online');
        if (!announced) process.stdout.write(`online as ${config.hostName} (${config.hostId})\n`);
        announced = true;
      },
      onOpenRelay: (command) => {
        log.info('opening relay leg', { connectionId: command.connectionId });
        // Raw TCP when the relay offers it: no WebSocket framing or masking on every byte.
        dialRelay(command.relayTcpUrl ?? command.relayUrl, command.ticket).then(
          (link) => host.serve(link, 'relay'),
          (error: unknown) =>
            // Usual when the client won the race directly and never came to the relay.
            log.info('relay leg unused', { connectionId: command.connectionId, reason: String(error) }),
        );
      },
      onFatal: (reason) => void shutdown(1, reason),
      log,
    });
    const shutdown = async (code: number, reason: string) => {
      log.info('stopping', { reason });
      await poll.stop();
      await direct?.close();
      resolve(code);
    };
    process.once('SIGINT', () => void shutdown(0, 'SIGINT'));
    process.once('SIGTERM', () => void shutdown(0, 'SIGTERM'));
    poll.start();
  });
}

/** Register answers a poll base URL; the agent endpoint lives at POLL_PATH unless a path is given. */
export function pollEndpoint(pollUrl: string): string {
  const url = new URL(pollUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = POLL_PATH;
  return url.toString();
}
