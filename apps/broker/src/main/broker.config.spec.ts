import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { BrokerEnv } from './broker.config.js';

const complete = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PUBLIC_URL: 'https://hostlink.example.com/',
  POLL_PUBLIC_URL: 'wss://poll.hostlink.example.com/agent',
};

const refuses = (environment: NodeJS.ProcessEnv, ...names: string[]) =>
  assertRefused(BrokerEnv, environment, ...names);

test('accepts a complete environment', () => {
  const config = loadConfig(BrokerEnv, { ...complete, NATS_URL: 'nats://a:4222, nats://b:4222' });
  assert.deepEqual(config.NATS_URL, ['nats://a:4222', 'nats://b:4222']);
  assert.equal(config.PUBLIC_URL, 'https://hostlink.example.com');
  assert.equal(config.REDIS_KEY_PREFIX, '');
  assert.match(config.INSTANCE_ID, /^[A-Za-z0-9_-]+$/);
});

test('names every missing variable at once', () => {
  refuses({}, 'NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'POLL_PUBLIC_URL');
});

test('refuses URLs of the wrong kind', () => {
  refuses({ ...complete, NATS_URL: 'http://127.0.0.1:4222' }, 'NATS_URL');
  refuses({ ...complete, DATABASE_URL: 'mysql://127.0.0.1/test' }, 'DATABASE_URL');
  refuses({ ...complete, REDIS_URL: 'not a url' }, 'REDIS_URL');
  refuses({ ...complete, INSTANCE_ID: 'a.b' }, 'INSTANCE_ID');
  refuses({ ...complete, NATS_SUBJECT_PREFIX: 'a.*' }, 'NATS_SUBJECT_PREFIX');
});
