import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import {
  BootstrapAdminRequest,
  type BootstrapAdminResponse,
  parseOrThrow,
  Subject,
} from '@hostlink/protocol';
import { BootstrapService } from './bootstrap.service.js';

@Controller()
@UseFilters(DomainRpcFilter)
export class BootstrapHandler {
  constructor(private readonly bootstrap: BootstrapService) {}

  @MessagePattern(Subject.authBootstrapAdmin)
  bootstrapAdmin(@Payload() payload: unknown): Promise<BootstrapAdminResponse> {
    return this.bootstrap.bootstrapAdmin(
      parseOrThrow(BootstrapAdminRequest, payload, 'bootstrap admin request'),
    );
  }
}
