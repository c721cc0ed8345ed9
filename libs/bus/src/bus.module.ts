import { type DynamicModule, Module } from '@nestjs/common';
import { BUS_PROXY, BUS_REQUEST_TIMEOUT_MS, BusClient } from './bus.client.js';
import { processWideHub } from './in-process.hub.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer } from './in-process.server.js';

export interface BusOptions {
  kind: 'in-process';
  requestTimeoutMs?: number;
}

/** Gives a service its BusClient; `transportFor` gives the matching server strategy for its handlers. */
@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS_PROXY, useFactory: () => new InProcessClient(processWideHub()) },
        { provide: BUS_REQUEST_TIMEOUT_MS, useValue: options.requestTimeoutMs ?? 5000 },
        BusClient,
      ],
      exports: [BusClient],
    };
  }

  static transportFor(options: BusOptions): { strategy: InProcessServer } {
    switch (options.kind) {
      case 'in-process':
        return { strategy: new InProcessServer(processWideHub()) };
    }
  }
}
