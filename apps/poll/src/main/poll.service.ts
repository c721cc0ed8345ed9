import { Logger } from '@nestjs/common';
import { BusClient, type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { startWithOps } from '@hostlink/observability';
import { connectServicePresence, PRESENCE_STORE } from '@hostlink/presence';
import { QueueGroup } from '@hostlink/protocol';
import { PollModule } from '../poll.module.js';
import type { PollEnv } from './poll.config.js';

/**
 * Starts a poll instance from its validated environment; it serves its own command subject. It is ready
 * while NATS and Redis answer.
 */
export function startPoll(config: PollEnv): Promise<BusService> {
  return startWithOps('poll', config, async ({ metricsModule }) => {
    const logger = new Logger('PollPresence');
    const presence = connectServicePresence({
      url: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      onError: (error) => logger.warn(error.message),
    });
    const service = await startBusService({
      bus: natsBusOptionsFrom(config, QueueGroup.poll),
      imports: (transport) => [
        metricsModule,
        PollModule.forRoot({
          pollId: config.INSTANCE_ID,
          host: config.HOST,
          port: config.PORT,
          heartbeatSeconds: config.HEARTBEAT_SECONDS,
          commandTransport: transport.strategy,
        }),
      ],
      globals: [{ provide: PRESENCE_STORE, useValue: presence.store }],
      release: presence.disconnect,
    });
    const checks = { nats: () => service.app.get(BusClient).ping(), redis: presence.ping };
    return { service, checks };
  });
}
