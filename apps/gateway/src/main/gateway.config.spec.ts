import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { DefaultPort } from '@hostlink/protocol';
import { GatewayEnv } from './gateway.config.js';

const refuses = (environment: NodeJS.ProcessEnv, ...names: string[]) =>
  assertRefused(GatewayEnv, environment, ...names);

test('accepts a complete environment, with defaults for the rest', () => {
  const config = loadConfig(GatewayEnv, { NATS_URL: 'tls://nats.example.com:4222', HOST: '127.0.0.1' });
  assert.equal(config.PORT, DefaultPort.gateway);
  assert.equal(config.HOST, '127.0.0.1');
});

test('refuses a missing NATS_URL and a bad port, naming both', () => {
  refuses({ PORT: '65536' }, 'NATS_URL', 'PORT');
  refuses({ NATS_URL: 'redis://127.0.0.1:6379' }, 'NATS_URL');
});
