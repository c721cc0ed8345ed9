import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HostlinkMetrics, createMetricsRegistry } from './hostlink.metrics.js';
import { MetricsModule, MetricsRegistryModule } from './metrics.module.js';

@Module({ imports: [MetricsModule] })
class FeatureA {}
@Module({ imports: [MetricsModule] })
class FeatureB {}

test('one set of metrics per app, shared by its modules; apps in one process never collide', async () => {
  const first = await NestFactory.createApplicationContext(
    { module: class AppOne {}, imports: [FeatureA, FeatureB] },
    { logger: false },
  );
  const second = await NestFactory.createApplicationContext(FeatureA, { logger: false });
  try {
    const metrics = first.get(HostlinkMetrics);
    assert.equal(first.select(FeatureB).get(HostlinkMetrics), metrics);
    assert.notEqual(second.get(HostlinkMetrics), metrics);
    metrics.heartbeats.inc();
    assert.match(await metrics.registry.metrics(), /^hostlink_heartbeats_total 1$/m);
    assert.match(await second.get(HostlinkMetrics).registry.metrics(), /^hostlink_heartbeats_total 0$/m);
  } finally {
    await first.close();
    await second.close();
  }
});

test('the metrics land in the process registry when the app is given one', async () => {
  const registry = createMetricsRegistry();
  const app = await NestFactory.createApplicationContext(
    { module: class WithRegistry {}, imports: [MetricsRegistryModule.forRoot(registry), FeatureA] },
    { logger: false },
  );
  try {
    assert.equal(app.get(HostlinkMetrics).registry, registry);
  } finally {
    await app.close();
  }
});
