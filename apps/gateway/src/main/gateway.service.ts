import type { NestExpressApplication } from '@nestjs/platform-express';
import { type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { startWithOps } from '@hostlink/observability';
import { QueueGroup } from '@hostlink/protocol';
import { GatewayModule } from '../gateway.module.js';
import { HealthService } from '../health/health.service.js';
import { configureGatewayHttp } from '../http/configure-gateway-http.js';
import type { GatewayEnv } from './gateway.config.js';
import type { WebOptions } from '../web/web.options.js';

/**
 * Starts a gateway instance from its validated environment: HTTP in, bus requests out. Its ops port and
 * its main port give the same health answers.
 */
export function startGateway(config: GatewayEnv): Promise<BusService> {
  return startWithOps('gateway', config, async ({ metricsModule }) => {
    const service = await startBusService<NestExpressApplication>({
      bus: natsBusOptionsFrom(config, QueueGroup.gateway),
      imports: () => [metricsModule, GatewayModule.forRoot(webOptions(config))],
      // configureGatewayHttp installs its own bounded body parsers.
      appOptions: { bodyParser: false },
      configure: (app) => configureGatewayHttp(app),
      listen: { port: config.PORT, host: config.HOST },
    });
    return { service, checks: service.app.get(HealthService).readiness };
  });
}

function webOptions(config: GatewayEnv): WebOptions {
  return {
    root: config.WEB_ROOT || undefined,
    publicUrl: config.PUBLIC_URL,
    connectSources: config.RELAY_ORIGINS,
  };
}
