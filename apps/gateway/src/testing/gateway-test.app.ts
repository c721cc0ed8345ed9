import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BusModule } from '@hostlink/bus';
import { GatewayModule } from '../gateway.module.js';
import { configureGatewayHttp } from '../http/configure-gateway-http.js';
import type { WebOptions } from '../web/web.options.js';

/** A real gateway on a loopback port, with `fakes` answering for auth and broker on the in-process bus. */
export async function startGatewayTestApp(
  web: WebOptions,
  fakes: Type[],
): Promise<{ app: NestExpressApplication; base: string }> {
  const transport = BusModule.transportFor({ kind: 'in-process' });
  @Module({
    imports: [BusModule.forRoot({ kind: 'in-process' }), GatewayModule.forRoot(web)],
    controllers: fakes,
  })
  class TestModule {}
  const app = await NestFactory.create<NestExpressApplication>(TestModule, {
    bodyParser: false,
    logger: false,
  });
  configureGatewayHttp(app);
  app.connectMicroservice(transport);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}
