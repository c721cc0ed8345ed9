import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@hostlink/audit';
import { brokerEntities } from '@hostlink/persistence';
import { Lifetime } from '@hostlink/protocol';
import { TokenKeysModule } from '@hostlink/token-keys';
import { BROKER_OPTIONS, type BrokerOptions, CLOCK, type ResolvedBrokerOptions } from './broker.options.js';
import { ConnectHandler } from './connect/connect.handler.js';
import { ConnectService } from './connect/connect.service.js';
import { RelayDirectory } from './connect/relay.directory.js';
import { EnrollmentTokenRepository } from './enrollment/enrollment-token.repository.js';
import { EnrollmentHandler } from './enrollment/enrollment.handler.js';
import { EnrollmentService } from './enrollment/enrollment.service.js';
import { HostRepository } from './hosts/host.repository.js';
import { HostsHandler } from './hosts/hosts.handler.js';
import { HostsService } from './hosts/hosts.service.js';
import { JwksHandler } from './keys/jwks.handler.js';
import { PresenceHandler } from './presence/presence.handler.js';
import { PresenceService } from './presence/presence.service.js';
import { AuthJwksCache } from './sessions/auth-jwks.cache.js';
import { SessionHandler } from './sessions/session.handler.js';
import { SessionService } from './sessions/session.service.js';

/**
 * Sessions, hosts, enrollment and connection brokering, served over the bus. Needs from the composing
 * app: a global BusModule, `TypeOrmModule.forRoot` (see `dataSourceOptions` in @hostlink/persistence) and
 * a global provider of `PRESENCE_STORE` (@hostlink/presence).
 */
@Module({})
export class BrokerModule {
  static forRoot(options: BrokerOptions): DynamicModule {
    const resolved: ResolvedBrokerOptions = {
      issuer: options.issuer,
      authIssuer: options.authIssuer,
      publicPollUrl: options.publicPollUrl,
      relays: options.relays ?? [],
    };
    const clock = options.clock ?? (() => new Date());
    return {
      module: BrokerModule,
      imports: [
        TypeOrmModule.forFeature(brokerEntities()),
        AuditModule,
        // A retired key stays published and accepted as long as the longest-lived token it signed.
        TokenKeysModule.forOwner({
          owner: 'broker',
          issuer: resolved.issuer,
          retiredKeyGraceSeconds: Lifetime.sessionSeconds,
          clock,
        }),
      ],
      controllers: [
        SessionHandler,
        HostsHandler,
        EnrollmentHandler,
        ConnectHandler,
        JwksHandler,
        PresenceHandler,
      ],
      providers: [
        { provide: BROKER_OPTIONS, useValue: resolved },
        { provide: CLOCK, useValue: clock },
        HostRepository,
        EnrollmentTokenRepository,
        AuthJwksCache,
        SessionService,
        HostsService,
        EnrollmentService,
        RelayDirectory,
        ConnectService,
        PresenceService,
      ],
    };
  }
}
