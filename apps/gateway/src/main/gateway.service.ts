import type { NestExpressApplication } from '@nestjs/platform-express';
import { type BusService, natsBusOptionsFrom, startBusService } from '@hostlink/bus';
import { QueueGroup } from '@hostlink/protocol';
import { GatewayModule } from '../gateway.module.js';
import { configureGatewayHttp } from '../http/configure-gateway-http.js';
import type { GatewayEnv } from './gateway.config.js';

/** Starts a gateway instance from its validated environment: HTTP in, bus requests out. */
export function startGateway(config: GatewayEnv): Promise<BusService> {
  return startBusService<NestExpressApplication>({
    bus: natsBusOptionsFrom(config, QueueGroup.gateway),
    imports: () => [GatewayModule.forRoot()],
    // configureGatewayHttp installs its own bounded body parsers.
    appOptions: { bodyParser: false },
    configure: (app) => configureGatewayHttp(app),
    listen: { port: config.PORT, host: config.HOST },
  });
}
