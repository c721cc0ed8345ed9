import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import { type Jwks, Subject } from '@hostlink/protocol';
import { KeyRing } from '@hostlink/token-keys';

@Controller()
@UseFilters(DomainRpcFilter)
export class JwksHandler {
  constructor(private readonly keyRing: KeyRing) {}

  /** No payload to read: the JWKS is public. */
  @MessagePattern(Subject.authJwks)
  jwks(): Promise<Jwks> {
    return this.keyRing.jwks();
  }
}
