import { Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusClient, type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { startWithOps } from '@hostlink/observability';
import { databaseUnavailable, serviceDatabase } from '@hostlink/persistence';
import { QueueGroup } from '@hostlink/protocol';
import { DataSource } from 'typeorm';
import { AuthModule } from '../auth.module.js';
import { BootstrapService } from '../bootstrap/bootstrap.service.js';
import type { AuthEnv } from './auth.config.js';

/**
 * Starts the auth service from its validated environment, and creates the first admin if configured. It is
 * ready while NATS and Postgres answer.
 */
export function startAuth(config: AuthEnv): Promise<BusService> {
  return startWithOps('auth', config, async ({ metricsModule }) => {
    const service = await startBusService({
      bus: natsBusOptionsFrom(config, QueueGroup.auth),
      imports: () => [
        metricsModule,
        TypeOrmModule.forRootAsync(
          serviceDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }),
        ),
        AuthModule.forRoot({
          issuer: config.PUBLIC_URL,
          samlClockSkewSeconds: config.SAML_CLOCK_SKEW_SECONDS,
        }),
      ],
      translateErrors: [databaseUnavailable],
    });
    if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) await ensureFirstAdmin(service, config);
    const checks = {
      nats: () => service.app.get(BusClient).ping(),
      postgres: () => service.app.get(DataSource).query('SELECT 1'),
    };
    return { service, checks };
  });
}

async function ensureFirstAdmin(service: BusService, config: AuthEnv): Promise<void> {
  const email = config.ADMIN_EMAIL ?? '';
  try {
    const { created } = await service.app
      .get(BootstrapService)
      .bootstrapAdmin({ email, password: config.ADMIN_PASSWORD });
    new Logger('Bootstrap').log(created ? `first admin ${email} created` : 'users exist; no admin created');
  } catch (error) {
    await service.close();
    throw error;
  }
}
