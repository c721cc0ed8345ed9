import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { ListHostsResponse, Subject, type PresenceChanged } from '@hostlink/protocol';
import { PresenceFeedService } from './presence-feed.service.js';

/** Whose hosts a session may watch (the broker verifies the session token), and the feed of their changes. */
@Injectable()
export class HostEventsService {
  constructor(
    private readonly bus: BusClient,
    private readonly feed: PresenceFeedService,
  ) {}

  async subscribe(sessionToken: string, listener: (event: PresenceChanged) => void): Promise<() => void> {
    const { hosts } = await this.bus.request(Subject.brokerListHosts, { sessionToken }, ListHostsResponse);
    return this.feed.watch(
      hosts.map((host) => host.id),
      listener,
    );
  }
}
