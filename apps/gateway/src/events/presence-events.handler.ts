import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EveryInstance } from '@hostlink/bus';
import { PresenceChanged, Subject } from '@hostlink/protocol';
import { PresenceFeedService } from './presence-feed.service.js';

/** Every gateway instance sees every presence change: its browsers may watch any host. */
@Controller()
export class PresenceEventsHandler {
  private readonly logger = new Logger('GatewayEvents');

  constructor(private readonly feed: PresenceFeedService) {}

  @EventPattern(Subject.presenceChanged, EveryInstance)
  presenceChanged(@Payload() payload: unknown): void {
    const parsed = PresenceChanged.safeParse(payload);
    if (!parsed.success) return this.logger.warn('dropped a malformed presence event');
    this.feed.publish(parsed.data);
  }
}
