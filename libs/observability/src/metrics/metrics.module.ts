import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HostlinkMetrics } from './hostlink.metrics.js';

/** The registry a process exposes on /metrics, when it made one before the app (see MetricsRegistryModule). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * Gives a module the app's `HostlinkMetrics`. Nest makes one instance of this module per app, so every
 * module of an app shares one set of metrics, and apps in one process (tests) never collide. Without a
 * `METRICS_REGISTRY` the metrics live in a registry of their own.
 */
@Module({
  providers: [
    {
      provide: HostlinkMetrics,
      inject: [{ token: METRICS_REGISTRY, optional: true }],
      useFactory: (registry?: Registry) => new HostlinkMetrics(registry ?? new Registry()),
    },
  ],
  exports: [HostlinkMetrics],
})
export class MetricsModule {}

/** Puts the process's registry (see `createMetricsRegistry`) where `MetricsModule` finds it. */
@Global()
@Module({})
export class MetricsRegistryModule {
  static forRoot(registry: Registry): DynamicModule {
    return {
      module: MetricsRegistryModule,
      providers: [{ provide: METRICS_REGISTRY, useValue: registry }],
      exports: [METRICS_REGISTRY],
    };
  }
}
