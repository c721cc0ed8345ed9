import { Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { dataSourceOptions, serviceConnectRetry } from '@hostlink/persistence';
import { connectServicePresence, PRESENCE_STORE } from '@hostlink/presence';
import { QueueGroup } from '@hostlink/protocol';
import { BrokerModule } from '../broker.module.js';
import type { BrokerEnv } from './broker.config.js';

/** Starts the broker from its validated environment. */
export function startBroker(config: BrokerEnv): Promise<BusService> {
  const logger = new Logger('BrokerPresence');
  const presence = connectServicePresence({
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    onError: (error) => logger.warn(error.message),
  });
  return startBusService({
    bus: natsBusOptionsFrom(config, QueueGroup.broker),
    imports: () => [
      TypeOrmModule.forRoot({
        ...dataSourceOptions({ kind: 'postgres', url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }),
        ...serviceConnectRetry,
      }),
      BrokerModule.forRoot({
        issuer: `${config.PUBLIC_URL}/broker`,
        authIssuer: config.PUBLIC_URL,
        publicPollUrl: config.POLL_PUBLIC_URL,
      }),
    ],
    globals: [{ provide: PRESENCE_STORE, useValue: presence.store }],
    release: presence.disconnect,
  });
}
