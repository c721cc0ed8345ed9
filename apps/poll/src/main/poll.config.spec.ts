import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { DefaultPort } from '@hostlink/protocol';
import { PollEnv } from './poll.config.js';

const complete = { NATS_URL: 'nats://127.0.0.1:4222', REDIS_URL: 'redis://127.0.0.1:6379' };

const refuses = (environment: NodeJS.ProcessEnv, ...names: string[]) =>
  assertRefused(PollEnv, environment, ...names);

test('accepts a complete environment, with defaults for the rest', () => {
  const config = loadConfig(PollEnv, complete);
  assert.equal(config.PORT, DefaultPort.poll);
  assert.equal(config.HOST, '0.0.0.0');
  assert.equal(config.HEARTBEAT_SECONDS, 5);
  assert.match(config.INSTANCE_ID, /^[A-Za-z0-9_-]+$/);
  assert.equal(loadConfig(PollEnv, { ...complete, PORT: '9000' }).PORT, 9000);
});

test('names every missing variable at once', () => {
  refuses({}, 'NATS_URL', 'REDIS_URL');
});

test('refuses bad values, naming the variable', () => {
  refuses({ ...complete, REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL');
  refuses({ ...complete, PORT: '70000' }, 'PORT');
  refuses({ ...complete, PORT: 'eighty' }, 'PORT');
  refuses({ ...complete, HEARTBEAT_SECONDS: '-1' }, 'HEARTBEAT_SECONDS');
  refuses({ ...complete, INSTANCE_ID: 'poll.*' }, 'INSTANCE_ID');
  refuses({ ...complete, REDIS_KEY_PREFIX: 'a b' }, 'REDIS_KEY_PREFIX');
});
