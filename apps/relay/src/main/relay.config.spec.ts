import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { DefaultPort } from '@hostlink/protocol';
import { RelayEnv } from './relay.config.js';

const complete = {
  NATS_URL: 'nats://127.0.0.1:4222',
  RELAY_PUBLIC_URL: 'wss://relay-0.hostlink.example.com/relay',
  PUBLIC_URL: 'https://hostlink.example.com/',
};

const refuses = (environment: NodeJS.ProcessEnv, ...names: string[]) =>
  assertRefused(RelayEnv, environment, ...names);

test('accepts a complete environment, with defaults for the rest', () => {
  const config = loadConfig(RelayEnv, complete);
  assert.equal(config.PORT, DefaultPort.relay);
  assert.equal(config.PUBLIC_URL, 'https://hostlink.example.com');
  assert.equal(config.PAIR_TIMEOUT_SECONDS, 15);
});

test('names every missing variable at once', () => {
  refuses({}, 'NATS_URL', 'RELAY_PUBLIC_URL', 'PUBLIC_URL');
});

test('refuses bad values, naming the variable', () => {
  refuses({ ...complete, NATS_URL: 'nats://a:4222,' }, 'NATS_URL');
  refuses({ ...complete, PORT: '-1' }, 'PORT');
  refuses({ ...complete, RELAY_PUBLIC_URL: 'relay-0:8200' }, 'RELAY_PUBLIC_URL');
});
