import 'reflect-metadata';
import { runBusService } from '@hostlink/bus';
import { loadConfig } from '@hostlink/config';
import { GatewayEnv } from './main/gateway.config.js';
import { startGateway } from './main/gateway.service.js';

/** `node apps/gateway/dist/main.js`: the only place a gateway instance reads process.env. */
runBusService(() => startGateway(loadConfig(GatewayEnv, process.env)));
