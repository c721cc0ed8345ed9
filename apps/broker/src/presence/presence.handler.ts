import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EveryInstance } from '@hostlink/bus';
import { PresenceChanged, RelayLoad, Subject } from '@hostlink/protocol';
import type { z } from 'zod';
import { RelayDirectory } from '../connect/relay.directory.js';
import { PresenceService } from './presence.service.js';

/** Events have no reply: a malformed one is logged and dropped. */
@Controller()
export class PresenceHandler {
  private readonly logger = new Logger('BrokerEvents');

  constructor(
    private readonly presence: PresenceService,
    private readonly relays: RelayDirectory,
  ) {}

  @EventPattern(Subject.presenceChanged)
  async presenceChanged(@Payload() payload: unknown): Promise<void> {
    const event = this.parse(PresenceChanged, payload, Subject.presenceChanged);
    if (event) await this.presence.changed(event);
  }

  @EventPattern(Subject.relayLoad, EveryInstance)
  relayLoad(@Payload() payload: unknown): void {
    const event = this.parse(RelayLoad, payload, Subject.relayLoad);
    if (event) this.relays.report(event);
  }

  private parse<S extends z.ZodType>(schema: S, payload: unknown, subject: string): z.infer<S> | undefined {
    const result = schema.safeParse(payload);
    if (!result.success)
      this.logger.warn(`dropped a malformed ${subject} event: ${result.error.issues[0]?.message ?? ''}`);
    return result.success ? result.data : undefined;
  }
}
