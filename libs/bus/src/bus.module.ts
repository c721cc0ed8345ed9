import { type DynamicModule, Module } from '@nestjs/common';
import type { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { MetricsModule } from '@hostlink/observability';
import { BUS_PROXY, BUS_REQUEST_TIMEOUT_MS, BusClient } from './bus.client.js';
import { processWideHub } from './in-process.hub.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer } from './in-process.server.js';
import { NatsBusClient, type NatsBusOptions, NatsBusServer } from './nats.transport.js';

export type BusOptions = { kind: 'in-process'; requestTimeoutMs?: number } | NatsBusOptions;

/** A server strategy for `connectBus`; `addHandler` lets a module serve subjects known only at run time. */
export type BusTransport = { strategy: Pick<Server, 'addHandler'> & CustomTransportStrategy };

/**
 * Gives a service its BusClient (which measures its requests in the app's `HostlinkMetrics`);
 * `transportFor` gives the matching server strategy for its handlers.
 */
@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      imports: [MetricsModule],
      providers: [
        { provide: BUS_PROXY, useFactory: () => clientFor(options) },
        { provide: BUS_REQUEST_TIMEOUT_MS, useValue: options.requestTimeoutMs ?? 5000 },
        BusClient,
      ],
      exports: [BusClient],
    };
  }

  static transportFor(options: BusOptions): BusTransport {
    switch (options.kind) {
      case 'in-process':
        return { strategy: new InProcessServer(processWideHub()) };
      case 'nats':
        return { strategy: new NatsBusServer(options) };
    }
  }
}

function clientFor(options: BusOptions): InProcessClient | NatsBusClient {
  switch (options.kind) {
    case 'in-process':
      return new InProcessClient(processWideHub());
    case 'nats':
      return new NatsBusClient(options);
  }
}
