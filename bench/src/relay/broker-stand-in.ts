import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { type BusService, startBusService } from '@hostlink/bus';
import { Audience, QueueGroup, Subject, TokenKind } from '@hostlink/protocol';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

const JWKS = Symbol('JWKS');
const KID = 'bench-broker';

@Controller()
class JwksController {
  constructor(@Inject(JWKS) private readonly jwks: { keys: JWK[] }) {}

  @MessagePattern(Subject.brokerJwks)
  keys(): { keys: JWK[] } {
    return this.jwks;
  }
}

@Module({})
class JwksModule {
  static forRoot(jwks: { keys: JWK[] }): DynamicModule {
    return {
      module: JwksModule,
      controllers: [JwksController],
      providers: [{ provide: JWKS, useValue: jwks }],
    };
  }
}

/**
 * Stands in for the broker where a relay needs one, so that the relay alone is measured: answers the
 * relay's JWKS request over the real NATS bus and mints relay tickets with the matching key.
 */
export class BrokerStandIn {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly issuer: string,
    private readonly bus: BusService,
  ) {}

  static async start(nats: { url: string; subjectPrefix: string }, issuer: string): Promise<BrokerStandIn> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'EdDSA' }] };
    const bus = await startBusService({
      bus: { kind: 'nats', servers: nats.url, queue: QueueGroup.broker, subjectPrefix: nats.subjectPrefix },
      imports: () => [JwksModule.forRoot(jwks)],
      appOptions: { logger: ['error'] },
    });
    return new BrokerStandIn(privateKey, issuer, bus);
  }

  /** A pair of single-use tickets, one per leg, for one connection through relay `relayId`. */
  async ticketPair(relayId: string): Promise<{ client: string; agent: string }> {
    const cid = randomUUID();
    const [client, agent] = await Promise.all([
      this.ticket(relayId, cid, 'client'),
      this.ticket(relayId, cid, 'agent'),
    ]);
    return { client, agent };
  }

  close(): Promise<void> {
    return this.bus.close();
  }

  private ticket(relayId: string, cid: string, role: 'client' | 'agent'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ cid, role })
      .setProtectedHeader({ alg: 'EdDSA', kid: KID, typ: TokenKind.RelayTicket })
      .setIssuer(this.issuer)
      .setAudience(Audience.ticketFor(relayId))
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 120)
      .sign(this.privateKey);
  }
}
