import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import {
  HostKeyRequest,
  type HostKeyResponse,
  ListHostsRequest,
  type ListHostsResponse,
  parseOrThrow,
  RemoveHostRequest,
  type RemoveHostResponse,
  Subject,
} from '@hostlink/protocol';
import { SessionService } from '../sessions/session.service.js';
import { HostsService } from './hosts.service.js';

@Controller()
@UseFilters(DomainRpcFilter)
export class HostsHandler {
  constructor(
    private readonly sessions: SessionService,
    private readonly hosts: HostsService,
  ) {}

  @MessagePattern(Subject.brokerListHosts)
  async list(@Payload() payload: unknown): Promise<ListHostsResponse> {
    const { sessionToken } = parseOrThrow(ListHostsRequest, payload, 'host list request');
    return { hosts: await this.hosts.list(await this.sessions.context(sessionToken)) };
  }

  @MessagePattern(Subject.brokerRemoveHost)
  async remove(@Payload() payload: unknown): Promise<RemoveHostResponse> {
    const request = parseOrThrow(RemoveHostRequest, payload, 'host removal request');
    return this.hosts.remove(await this.sessions.context(request.sessionToken), request.hostId);
  }

  /** Internal (poll): no session, the bus is not reachable from outside. */
  @MessagePattern(Subject.brokerHostKey)
  hostKey(@Payload() payload: unknown): Promise<HostKeyResponse> {
    return this.hosts.hostKey(parseOrThrow(HostKeyRequest, payload, 'host key request').hostId);
  }
}
