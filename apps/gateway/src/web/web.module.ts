import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { WebAppMiddleware } from './web-app.middleware.js';
import { WEB_OPTIONS, type WebOptions } from './web.options.js';

/** The web client's files and page, served from the gateway's own origin. */
@Module({})
export class WebModule implements NestModule {
  static forRoot(options: WebOptions): DynamicModule {
    return {
      module: WebModule,
      // The events socket needs the page origin too.
      global: true,
      providers: [{ provide: WEB_OPTIONS, useValue: options }, WebAppMiddleware],
      exports: [WEB_OPTIONS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // '{*path}' also matches `/` itself, which '*path' does not.
    consumer.apply(WebAppMiddleware).forRoutes('{*path}');
  }
}
