import { Module } from '@nestjs/common';
import { HostEventsSocket } from './host-events.socket.js';
import { HostEventsService } from './host-events.service.js';
import { PresenceEventsHandler } from './presence-events.handler.js';
import { PresenceFeedService } from './presence-feed.service.js';

/** Live host status for browsers: bus presence events pushed over `ApiPath.events`. Needs WebModule's options. */
@Module({
  controllers: [PresenceEventsHandler],
  providers: [PresenceFeedService, HostEventsService, HostEventsSocket],
})
export class HostEventsModule {}
