import type { INestApplication } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { NestMicroservice } from '@nestjs/microservices/nest-microservice.js';
import { BusCorrelationInterceptor } from '@hostlink/observability';
import type { ErrorTranslator } from './bus-error.js';
import { DomainRpcFilter } from './domain-rpc.filter.js';

/**
 * Serves the app's bus handlers on the given transport, with domain errors crossing as codes and each
 * handler running under the correlation id its message carries.
 *
 * Nest binds a hybrid app's message handlers, and the exception filters and interceptors they use, the
 * moment the microservice is connected: a filter added afterwards never applies, and callers would see
 * "Internal server error". Deferring the whole initialisation instead runs every module's lifecycle hooks
 * twice (listeners bound twice). So: connect deferred, add the filter and the interceptor, then do exactly
 * what Nest's connect does.
 */
export function connectBus(
  app: INestApplication,
  transport: { strategy: CustomTransportStrategy },
  translators: readonly ErrorTranslator[] = [],
): NestMicroservice {
  const microservice = app.connectMicroservice(transport, { deferInitialization: true }) as NestMicroservice;
  microservice.useGlobalFilters(new DomainRpcFilter(translators));
  microservice.useGlobalInterceptors(new BusCorrelationInterceptor());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
  return microservice;
}
