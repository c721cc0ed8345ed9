import {
  type DynamicModule,
  Global,
  type INestApplication,
  Module,
  type ModuleMetadata,
  type NestApplicationOptions,
  type ValueProvider,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ErrorTranslator } from './bus-error.js';
import { type BusOptions, BusModule, type BusTransport } from './bus.module.js';
import { connectBus } from './connect-bus.js';
import { BUS_ERROR_TRANSLATORS } from './domain-rpc.filter.js';
import type { NatsBusOptions } from './nats.transport.js';

/** How one service process is put together by its entry point. */
export interface BusServiceBoot<App extends INestApplication = INestApplication> {
  bus: BusOptions;
  /** The service's modules; `transport` is the strategy its bus handlers are served with. */
  imports: (transport: BusTransport) => NonNullable<ModuleMetadata['imports']>;
  /** Values any module of the process may inject (e.g. the presence store). */
  globals?: ValueProvider[];
  /** Binds the HTTP server (the gateway); without it the app only initialises. */
  listen?: { port: number; host: string };
  /** Runs before the bus is connected, e.g. HTTP middleware of the gateway. */
  configure?: (app: App) => void;
  appOptions?: NestApplicationOptions;
  /** Infrastructure errors its handlers may throw that callers should see as domain errors. */
  translateErrors?: readonly ErrorTranslator[];
  /** Frees what the entry point opened outside Nest (e.g. a Redis connection), after the app closed. */
  release?: () => void | Promise<void>;
}

/** A running service: `close` stops the bus, the modules and the HTTP server, then releases. */
export interface BusService {
  app: INestApplication;
  close(): Promise<void>;
}

/** The root of one service process: its bus client, its modules and its global values. */
@Global()
@Module({})
class BusServiceModule {
  static forRoot(boot: BusServiceBoot<never>, transport: BusTransport): DynamicModule {
    const globals = [
      ...(boot.globals ?? []),
      { provide: BUS_ERROR_TRANSLATORS, useValue: boot.translateErrors ?? [] },
    ];
    return {
      module: BusServiceModule,
      imports: [BusModule.forRoot(boot.bus), ...boot.imports(transport)],
      providers: globals,
      exports: globals.map((provider) => provider.provide),
    };
  }
}

/**
 * Creates the service's Nest app, serves its bus handlers through `connectBus` and starts it. A failure
 * closes whatever started, so the process can exit with the error.
 */
export async function startBusService<App extends INestApplication = INestApplication>(
  boot: BusServiceBoot<App>,
): Promise<BusService> {
  const release = async () => {
    await boot.release?.();
  };
  let app: App | undefined;
  try {
    const transport = BusModule.transportFor(boot.bus);
    app = await NestFactory.create<App>(BusServiceModule.forRoot(boot, transport), {
      abortOnError: false,
      ...boot.appOptions,
    });
    boot.configure?.(app);
    connectBus(app, transport, boot.translateErrors);
    await app.startAllMicroservices();
    if (boot.listen) await app.listen(boot.listen.port, boot.listen.host);
    else await app.init();
  } catch (error) {
    await app?.close().catch(() => undefined);
    await release().catch(() => undefined);
    throw error;
  }
  const started = app;
  return { app: started, close: () => started.close().finally(release) };
}

/**
 * The body of a service's `main`: starts it, closes it once on SIGTERM or SIGINT (exit 0, or 1 if closing
 * fails), and exits 1 with the error's message when it cannot start (a bad environment names every
 * problem).
 */
export function runBusService(start: () => Promise<{ close(): Promise<void> }>): void {
  // Through a promise, so that a bad environment (thrown synchronously by loadConfig) ends the same way.
  Promise.resolve()
    .then(start)
    .then(
      (service) => {
        let stopping = false;
        const stop = () => {
          if (stopping) return;
          stopping = true;
          service.close().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      },
      (error: unknown) => {
        // Exit once the message is out: stderr may be a pipe, written asynchronously.
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`, () =>
          process.exit(1),
        );
      },
    );
}

/** The NATS bus options of a service from its validated `busServiceEnv` settings. */
export function natsBusOptionsFrom(
  config: { NATS_URL: string[]; NATS_SUBJECT_PREFIX?: string },
  queue: string,
): NatsBusOptions {
  return { kind: 'nats', servers: config.NATS_URL, queue, subjectPrefix: config.NATS_SUBJECT_PREFIX };
}
