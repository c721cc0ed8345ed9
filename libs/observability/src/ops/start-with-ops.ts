import { type DynamicModule, Logger } from '@nestjs/common';
import { JsonLogger, type LogLevelName } from '../logging/json.logger.js';
import { createMetricsRegistry } from '../metrics/hostlink.metrics.js';
import { MetricsRegistryModule } from '../metrics/metrics.module.js';
import { startOpsServer } from './ops-server.js';
import { Readiness, type ReadinessChecks } from './readiness.js';

/** The validated settings a service's ops endpoints and logs need (see `opsServiceEnv`). */
export interface OpsConfig {
  INSTANCE_ID: string;
  /** The ops endpoints bind the same address as the service's other listeners. */
  HOST: string;
  OPS_PORT: number;
  LOG_LEVEL: LogLevelName;
}

export interface OpsContext {
  /** Import it in the app: the registry the ops endpoints expose, where `MetricsModule` finds it. */
  metricsModule: DynamicModule;
}

/** A started service, and what it must reach to do its work (or its own `Readiness` that checks it). */
export interface ServiceWithChecks<S> {
  service: S;
  checks: ReadinessChecks | Readiness;
}

/**
 * Runs one service process with its operations side: JSON logs from the start, then the ops endpoints
 * (live at once, ready once the service has started and its dependencies answer, metrics), then the
 * service. Closing the service closes the ops endpoints after it; a service that cannot start closes them
 * too, so the process can exit with the error.
 */
export async function startWithOps<S extends { close(): Promise<void> }>(
  service: string,
  config: OpsConfig,
  start: (ops: OpsContext) => Promise<ServiceWithChecks<S>>,
): Promise<S> {
  Logger.overrideLogger(new JsonLogger({ service, instance: config.INSTANCE_ID, level: config.LOG_LEVEL }));
  const registry = createMetricsRegistry();
  const readiness = new Readiness();
  const ops = await startOpsServer({ host: config.HOST, port: config.OPS_PORT, readiness, registry }).catch(
    (error: unknown) => {
      throw new Error(`cannot serve the ops endpoints on OPS_PORT ${config.OPS_PORT}: ${String(error)}`);
    },
  );
  let started: ServiceWithChecks<S>;
  try {
    started = await start({ metricsModule: MetricsRegistryModule.forRoot(registry) });
  } catch (error) {
    await ops.close();
    throw error;
  }
  readiness.use(started.checks);
  const running = started.service;
  return { ...running, close: () => running.close().finally(() => ops.close()) };
}
