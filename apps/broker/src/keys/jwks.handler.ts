import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import { type Jwks, Subject } from '@hostlink/protocol';
import { KeyRing } from '@hostlink/token-keys';

@Controller()
@UseFilters(DomainRpcFilter)
export class JwksHandler {
  constructor(private readonly keyRing: KeyRing) {}

  /** No payload to read: the broker's public keys, for relays and agents verifying tickets and grants. */
  @MessagePattern(Subject.brokerJwks)
  jwks(): Promise<Jwks> {
    return this.keyRing.jwks();
  }
}
