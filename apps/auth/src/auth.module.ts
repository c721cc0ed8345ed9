import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { authEntities } from '@hostlink/persistence';
import { Lifetime } from '@hostlink/protocol';
import { AuditRepository } from './audit/audit.repository.js';
import { AUTH_OPTIONS, type AuthOptions, CLOCK, type ResolvedAuthOptions } from './auth.options.js';
import { BootstrapHandler } from './bootstrap/bootstrap.handler.js';
import { BootstrapService } from './bootstrap/bootstrap.service.js';
import { JwksHandler } from './keys/jwks.handler.js';
import { KeyRing } from './keys/key-ring.service.js';
import { SigningKeyRepository } from './keys/signing-key.repository.js';
import { PasswordHasher } from './passwords/password.hasher.js';
import { LoginThrottleRepository } from './sign-in/login-throttle.repository.js';
import { LoginThrottleService } from './sign-in/login-throttle.service.js';
import { PasswordGrantService } from './sign-in/password-grant.service.js';
import { TokenHandler } from './sign-in/token.handler.js';
import { AccessTokenSigner } from './tokens/access-token.signer.js';
import { RefreshTokenRepository } from './tokens/refresh-token.repository.js';
import { TokenService } from './tokens/token.service.js';
import { UserRepository } from './users/user.repository.js';

/**
 * Identities and tokens, served over the bus. Needs a global BusModule for its handlers' transport and
 * a `TypeOrmModule.forRoot` from the composing app (see `dataSourceOptions` in @hostlink/persistence).
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    const resolved: ResolvedAuthOptions = {
      issuer: options.issuer,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? Lifetime.accessSeconds,
    };
    return {
      module: AuthModule,
      imports: [TypeOrmModule.forFeature(authEntities())],
      controllers: [TokenHandler, JwksHandler, BootstrapHandler],
      providers: [
        { provide: AUTH_OPTIONS, useValue: resolved },
        { provide: CLOCK, useValue: options.clock ?? (() => new Date()) },
        AuditRepository,
        UserRepository,
        SigningKeyRepository,
        LoginThrottleRepository,
        RefreshTokenRepository,
        PasswordHasher,
        KeyRing,
        AccessTokenSigner,
        LoginThrottleService,
        TokenService,
        PasswordGrantService,
        BootstrapService,
      ],
    };
  }
}
