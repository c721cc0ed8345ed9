import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { DefaultPort } from '@hostlink/protocol';
import { GatewayEnv } from './gateway.config.js';

const refuses = (environment: NodeJS.ProcessEnv, ...names: string[]) =>
  assertRefused(GatewayEnv, environment, ...names);

test('accepts a complete environment, with defaults for the rest', () => {
  const config = loadConfig(GatewayEnv, {
    NATS_URL: 'tls://nats.example.com:4222',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://hostlink.example.com/',
  });
  assert.equal(config.PORT, DefaultPort.gateway);
  assert.equal(config.HOST, '127.0.0.1');
  assert.equal(config.PUBLIC_URL, 'https://hostlink.example.com');
  assert.deepEqual(config.RELAY_ORIGINS, ['wss:']);
  assert.match(config.WEB_ROOT, /web\/dist\/public$/);
});

test('refuses a missing NATS_URL and a bad port, naming both', () => {
  refuses({ PORT: '65536' }, 'NATS_URL', 'PORT', 'PUBLIC_URL');
  refuses({ NATS_URL: 'redis://127.0.0.1:6379' }, 'NATS_URL');
});

test('refuses relay origins that are not WebSocket origins', () => {
  const base = { NATS_URL: 'nats://127.0.0.1:4222', PUBLIC_URL: 'https://hostlink.example.com' };
  refuses({ ...base, RELAY_ORIGINS: "wss://relay.example.com 'unsafe-inline'" }, 'RELAY_ORIGINS');
  refuses({ ...base, RELAY_ORIGINS: 'https://relay.example.com' }, 'RELAY_ORIGINS');
});
