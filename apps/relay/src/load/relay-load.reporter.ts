import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { type RelayLoad, Subject } from '@hostlink/protocol';
import { PairingService } from '../pairing/pairing.service.js';
import { RELAY_OPTIONS, type RelayOptions } from '../relay.options.js';

/**
 * Tells every broker this relay exists and how busy it is, at start and every few seconds, and that it
 * is going away when it stops cleanly (before the bus closes).
 */
@Injectable()
export class RelayLoadReporter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RelayLoad');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RELAY_OPTIONS) private readonly options: RelayOptions,
    private readonly pairing: PairingService,
    private readonly bus: BusClient,
  ) {}

  onApplicationBootstrap(): void {
    void this.report();
    this.timer = setInterval(() => void this.report(), this.options.loadIntervalMs ?? 5000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.report(true);
  }

  private async report(stopping?: true): Promise<void> {
    const load: RelayLoad = {
      relayId: this.options.relayId,
      url: this.options.publicUrl,
      tcpUrl: this.options.publicTcpUrl,
      activeSessions: this.pairing.activeSessions,
      at: new Date().toISOString(),
      ...(stopping && { stopping }),
    };
    try {
      await this.bus.emit(Subject.relayLoad, load);
    } catch (error) {
      this.logger.warn({ msg: 'load not reported', error: String(error) });
    }
  }
}
