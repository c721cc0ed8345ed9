import { BusClient, type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { startWithOps } from '@hostlink/observability';
import { QueueGroup } from '@hostlink/protocol';
import { RelayModule } from '../relay.module.js';
import type { RelayEnv } from './relay.config.js';

/** Starts a relay instance from its validated environment; it is ready while NATS answers. */
export function startRelay(config: RelayEnv): Promise<BusService> {
  return startWithOps('relay', config, async ({ metricsModule }) => {
    const service = await startBusService({
      bus: natsBusOptionsFrom(config, QueueGroup.relay),
      imports: () => [
        metricsModule,
        RelayModule.forRoot({
          relayId: config.INSTANCE_ID,
          host: config.HOST,
          port: config.PORT,
          publicUrl: config.RELAY_PUBLIC_URL,
          publicTcpUrl: config.RELAY_PUBLIC_TCP_URL,
          pairTimeoutMs: config.PAIR_TIMEOUT_SECONDS * 1000,
          issuer: `${config.PUBLIC_URL}/broker`,
          browserOrigins: [new URL(config.PUBLIC_URL).origin],
        }),
      ],
    });
    return { service, checks: { nats: () => service.app.get(BusClient).ping() } };
  });
}
