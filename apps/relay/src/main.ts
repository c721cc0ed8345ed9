import 'reflect-metadata';
import { runBusService } from '@hostlink/bus';
import { loadConfig } from '@hostlink/config';
import { RelayEnv } from './main/relay.config.js';
import { startRelay } from './main/relay.service.js';

/** `node apps/relay/dist/main.js`: the only place a relay instance reads process.env. */
runBusService(() => startRelay(loadConfig(RelayEnv, process.env)));
