import { type DynamicModule, Module } from '@nestjs/common';
import { MetricsModule } from '@hostlink/observability';
import { RelayListener } from './listener/relay-listener.js';
import { RelayLoadReporter } from './load/relay-load.reporter.js';
import { PairingService } from './pairing/pairing.service.js';
import { RELAY_OPTIONS, type RelayOptions } from './relay.options.js';
import { BrokerKeysService } from './tickets/broker-keys.service.js';
import { TicketVerifier } from './tickets/ticket-verifier.service.js';

/** Pairs client and agent legs by broker-issued ticket and splices their bytes. Needs a global BusModule. */
@Module({})
export class RelayModule {
  static forRoot(options: RelayOptions): DynamicModule {
    return {
      module: RelayModule,
      imports: [MetricsModule],
      providers: [
        { provide: RELAY_OPTIONS, useValue: options },
        BrokerKeysService,
        TicketVerifier,
        PairingService,
        RelayListener,
        RelayLoadReporter,
      ],
      exports: [RelayListener],
    };
  }
}
