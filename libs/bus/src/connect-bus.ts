import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { type BusOptions, BusModule } from './bus.module.js';
import { DomainRpcFilter } from './domain-rpc.filter.js';

/**
 * Serves the app's bus handlers on the configured transport, with domain errors crossing as codes.
 * The filter goes on the microservice itself, and its listeners are registered only at start-up: Nest
 * binds handlers at connect time otherwise, before any filter exists, and every caller would then see
 * "Internal server error".
 */
export function connectBus(app: INestApplication, options: BusOptions): INestMicroservice {
  const microservice = app.connectMicroservice(BusModule.transportFor(options), {
    deferInitialization: true,
  });
  microservice.useGlobalFilters(new DomainRpcFilter());
  return microservice;
}
