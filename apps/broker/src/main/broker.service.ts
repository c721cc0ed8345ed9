import { Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusClient, type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { startWithOps } from '@hostlink/observability';
import { databaseUnavailable, serviceDatabase } from '@hostlink/persistence';
import { connectServicePresence, PRESENCE_STORE } from '@hostlink/presence';
import { QueueGroup } from '@hostlink/protocol';
import { DataSource } from 'typeorm';
import { BrokerModule } from '../broker.module.js';
import type { BrokerEnv } from './broker.config.js';

/** Starts the broker from its validated environment; it is ready while NATS, Postgres and Redis answer. */
export function startBroker(config: BrokerEnv): Promise<BusService> {
  return startWithOps('broker', config, async ({ metricsModule }) => {
    const logger = new Logger('BrokerPresence');
    const presence = connectServicePresence({
      url: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      onError: (error) => logger.warn(error.message),
    });
    const service = await startBusService({
      bus: natsBusOptionsFrom(config, QueueGroup.broker),
      imports: () => [
        metricsModule,
        TypeOrmModule.forRootAsync(
          serviceDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }),
        ),
        BrokerModule.forRoot({
          issuer: `${config.PUBLIC_URL}/broker`,
          authIssuer: config.PUBLIC_URL,
          publicPollUrl: config.POLL_PUBLIC_URL,
        }),
      ],
      globals: [{ provide: PRESENCE_STORE, useValue: presence.store }],
      translateErrors: [databaseUnavailable],
      release: presence.disconnect,
    });
    const checks = {
      nats: () => service.app.get(BusClient).ping(),
      postgres: () => service.app.get(DataSource).query('SELECT 1'),
      redis: presence.ping,
    };
    return { service, checks };
  });
}
