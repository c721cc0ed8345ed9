import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import {
  CreateEnrollmentRequest,
  type EnrollmentResponse,
  parseOrThrow,
  RegisterHostRequest,
  type RegisterHostResponse,
  Subject,
} from '@hostlink/protocol';
import { SessionService } from '../sessions/session.service.js';
import { EnrollmentService } from './enrollment.service.js';

@Controller()
@UseFilters(DomainRpcFilter)
export class EnrollmentHandler {
  constructor(
    private readonly sessions: SessionService,
    private readonly enrollment: EnrollmentService,
  ) {}

  @MessagePattern(Subject.brokerCreateEnrollment)
  async createToken(@Payload() payload: unknown): Promise<EnrollmentResponse> {
    const { sessionToken } = parseOrThrow(CreateEnrollmentRequest, payload, 'enrollment request');
    return this.enrollment.createToken(await this.sessions.context(sessionToken));
  }

  /** Not session-scoped: the enrollment token is the agent's only credential. */
  @MessagePattern(Subject.brokerRegisterHost)
  register(@Payload() payload: unknown): Promise<RegisterHostResponse> {
    return this.enrollment.register(parseOrThrow(RegisterHostRequest, payload, 'host registration'));
  }
}
