import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@hostlink/audit';
import { authEntities } from '@hostlink/persistence';
import { Lifetime } from '@hostlink/protocol';
import { TokenKeysModule } from '@hostlink/token-keys';
import {
  AUTH_OPTIONS,
  type AuthOptions,
  CLOCK,
  DEFAULT_SAML_CLOCK_SKEW_SECONDS,
  type ResolvedAuthOptions,
} from './auth.options.js';
import { BootstrapHandler } from './bootstrap/bootstrap.handler.js';
import { BootstrapService } from './bootstrap/bootstrap.service.js';
import { JwksHandler } from './keys/jwks.handler.js';
import { PasswordHasher } from './passwords/password.hasher.js';
import { SamlHandler } from './saml/saml.handler.js';
import { SamlAdminService } from './saml/saml-admin.service.js';
import { SamlAssertionUseRepository } from './saml/saml-assertion-use.repository.js';
import { SamlIdpRepository } from './saml/saml-idp.repository.js';
import { SamlLoginService } from './saml/saml-login.service.js';
import { SamlRequestRepository } from './saml/saml-request.repository.js';
import { SamlSignInService } from './saml/saml-sign-in.service.js';
import { SamlValidator } from './saml/saml.validator.js';
import { SignInCodeRepository } from './saml/sign-in-code.repository.js';
import { SignInCodeService } from './saml/sign-in-code.service.js';
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
      samlClockSkewSeconds: options.samlClockSkewSeconds ?? DEFAULT_SAML_CLOCK_SKEW_SECONDS,
    };
    const clock = options.clock ?? (() => new Date());
    return {
      module: AuthModule,
      imports: [
        TypeOrmModule.forFeature(authEntities()),
        AuditModule,
        // A retired key stays published for one access-token lifetime: the broker verifies with this JWKS.
        TokenKeysModule.forOwner({
          owner: 'auth',
          issuer: resolved.issuer,
          retiredKeyGraceSeconds: resolved.accessTokenTtlSeconds,
          clock,
        }),
      ],
      controllers: [TokenHandler, JwksHandler, BootstrapHandler, SamlHandler],
      providers: [
        { provide: AUTH_OPTIONS, useValue: resolved },
        { provide: CLOCK, useValue: clock },
        UserRepository,
        LoginThrottleRepository,
        RefreshTokenRepository,
        PasswordHasher,
        AccessTokenSigner,
        LoginThrottleService,
        TokenService,
        PasswordGrantService,
        BootstrapService,
        SamlIdpRepository,
        SamlRequestRepository,
        SamlAssertionUseRepository,
        SignInCodeRepository,
        SamlValidator,
        SignInCodeService,
        SamlSignInService,
        SamlLoginService,
        SamlAdminService,
      ],
    };
  }
}
