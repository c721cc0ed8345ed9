import 'reflect-metadata';
import { runBusService } from '@hostlink/bus';
import { loadConfig } from '@hostlink/config';
import { BrokerEnv } from './main/broker.config.js';
import { startBroker } from './main/broker.service.js';

/** `node apps/broker/dist/main.js`: the only place the broker reads process.env. */
runBusService(() => startBroker(loadConfig(BrokerEnv, process.env)));
