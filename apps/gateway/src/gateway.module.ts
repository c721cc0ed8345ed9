import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MetricsModule } from '@hostlink/observability';
import { ApiController } from './api/api.controller.js';
import { ApiService } from './api/api.service.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { ContentTypeMiddleware } from './http/content-type.middleware.js';
import { HttpErrorFilter } from './http/http-error.filter.js';
import { RequestIdMiddleware } from './http/request-id.middleware.js';
import { SecurityHeadersMiddleware } from './http/security-headers.middleware.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { OAuthService } from './oauth/oauth.service.js';
import { SamlController } from './saml/saml.controller.js';
import { SamlService } from './saml/saml.service.js';
import { HostEventsModule } from './events/host-events.module.js';
import { WebModule } from './web/web.module.js';
import type { WebOptions } from './web/web.options.js';

/**
 * The clients' HTTP door: OAuth token endpoint, JWKS, the REST API, the SAML browser endpoints, the web
 * client and its live host events, and the ops endpoints, each a thin controller over one bus request. Every request runs under a correlation id (`X-Request-Id`). Needs a
 * global BusModule; the composing app applies `configureGatewayHttp`.
 */
@Module({})
export class GatewayModule implements NestModule {
  /** `web`: the browser client's page and its live host events (see web/web.options.ts). */
  static forRoot(web: WebOptions): DynamicModule {
    return {
      module: GatewayModule,
      imports: [MetricsModule, WebModule.forRoot(web), HostEventsModule],
      controllers: [OAuthController, ApiController, HealthController, SamlController],
      providers: [
        OAuthService,
        SamlService,
        ApiService,
        HealthService,
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware, SecurityHeadersMiddleware, ContentTypeMiddleware).forRoutes('*path');
  }
}
