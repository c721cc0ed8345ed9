import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import { CreateSessionRequest, parseOrThrow, type SessionResponse, Subject } from '@hostlink/protocol';
import { SessionService } from './session.service.js';

@Controller()
@UseFilters(DomainRpcFilter)
export class SessionHandler {
  constructor(private readonly sessions: SessionService) {}

  @MessagePattern(Subject.brokerCreateSession)
  createSession(@Payload() payload: unknown): Promise<SessionResponse> {
    return this.sessions.createSession(
      parseOrThrow(CreateSessionRequest, payload, 'session request').accessToken,
    );
  }
}
