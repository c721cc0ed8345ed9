import { TypeOrmModule } from '@nestjs/typeorm';
import { type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { dataSourceOptions, serviceConnectRetry } from '@hostlink/persistence';
import { QueueGroup } from '@hostlink/protocol';
import { AuthModule } from '../auth.module.js';
import type { AuthEnv } from './auth.config.js';

/** Starts the auth service from its validated environment. */
export function startAuth(config: AuthEnv): Promise<BusService> {
  return startBusService({
    bus: natsBusOptionsFrom(config, QueueGroup.auth),
    imports: () => [
      TypeOrmModule.forRoot({
        ...dataSourceOptions({ kind: 'postgres', url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }),
        ...serviceConnectRetry,
      }),
      AuthModule.forRoot({ issuer: config.PUBLIC_URL }),
    ],
  });
}
