import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import { type ConnectOffer, ConnectRequest, parseOrThrow, Subject } from '@hostlink/protocol';
import { SessionService } from '../sessions/session.service.js';
import { ConnectService } from './connect.service.js';

@Controller()
@UseFilters(DomainRpcFilter)
export class ConnectHandler {
  constructor(
    private readonly sessions: SessionService,
    private readonly connections: ConnectService,
  ) {}

  @MessagePattern(Subject.brokerConnect)
  async connect(@Payload() payload: unknown): Promise<ConnectOffer> {
    const request = parseOrThrow(ConnectRequest, payload, 'connect request');
    return this.connections.connect(await this.sessions.context(request.sessionToken), request);
  }
}
