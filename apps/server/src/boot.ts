import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BusClient, BusModule, connectBus } from '@hostlink/bus';
import { loadConfig } from '@hostlink/config';
import { configureGatewayHttp } from '@hostlink/gateway';
import { JsonLogger } from '@hostlink/observability';
import { InMemoryPresenceStore } from '@hostlink/presence';
import { BootstrapAdminResponse, Subject } from '@hostlink/protocol';
import { banner, readyLine } from './banner.js';
import { concretePorts } from './ports.js';
import { ServerEnv, type ServerSettings, settingsFrom } from './server.config.js';
import { BUS_OPTIONS, ServerModule } from './server.module.js';

export interface RunningServer {
  app: NestExpressApplication;
  settings: ServerSettings;
  admin: BootstrapAdminResponse;
  close(): Promise<void>;
}

/** Ports and URLs from the environment; a port of 0 becomes a concrete free port here. */
export async function resolveSettings(environment: NodeJS.ProcessEnv): Promise<ServerSettings> {
  const config = loadConfig(ServerEnv, environment);
  const host = config.HOSTLINK_HOST;
  const ports = await concretePorts(
    {
      gateway: config.HOSTLINK_GATEWAY_PORT,
      relay: config.HOSTLINK_RELAY_PORT,
      poll: config.HOSTLINK_POLL_PORT,
    },
    host,
  );
  return settingsFrom(config, ports);
}

/**
 * Boots every service in one process and makes sure the first admin exists. Writes the ready line and
 * the banner to `out`; logs go to stderr. Throws on any boot failure (see explainBootError).
 */
export async function startServer(
  settings: ServerSettings,
  out: NodeJS.WritableStream,
): Promise<RunningServer> {
  // The database holds signing keys and password hashes: every file the server creates is its own only.
  process.umask(0o077);
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  const transport = BusModule.transportFor(BUS_OPTIONS);
  const store = new InMemoryPresenceStore();
  const app = await NestFactory.create<NestExpressApplication>(
    ServerModule.forRoot(settings, transport.strategy, store),
    {
      bodyParser: false,
      abortOnError: false,
      // Every line on stderr: stdout carries only the ready line and the banner.
      logger: new JsonLogger({ service: 'server', instance: 'embedded' }),
    },
  );
  const close = async () => {
    await app.close();
    store.close();
  };
  try {
    configureGatewayHttp(app);
    connectBus(app, transport);
    await app.startAllMicroservices();
    await app.listen(settings.ports.gateway, settings.host);
    const admin = await app
      .get(BusClient)
      .request(
        Subject.authBootstrapAdmin,
        { email: settings.adminEmail, password: settings.adminPassword },
        BootstrapAdminResponse,
      );
    out.write(readyLine(settings));
    out.write(banner(settings, admin));
    return { app, settings, admin, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
