import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config.js';
import { busServiceEnv, serviceEnv } from './service-env.js';
import { assertRefused } from './testing/config-assertions.js';

const schema = z.object({
  ...busServiceEnv(),
  PUBLIC_URL: serviceEnv.publicUrl(),
  DATABASE_SCHEMA: serviceEnv.postgresSchema(),
  REDIS_KEY_PREFIX: serviceEnv.keyPrefix(),
});
const complete = { NATS_URL: 'nats://127.0.0.1:4222', PUBLIC_URL: 'https://hostlink.example.com//' };

test('parses what every service reads', () => {
  const config = loadConfig(schema, {
    ...complete,
    NATS_SUBJECT_PREFIX: 'staging.eu',
    DATABASE_SCHEMA: 'hostlink',
  });
  assert.deepEqual(config.NATS_URL, ['nats://127.0.0.1:4222']);
  assert.equal(config.PUBLIC_URL, 'https://hostlink.example.com');
  assert.equal(config.NATS_SUBJECT_PREFIX, 'staging.eu');
  assert.equal(config.DATABASE_SCHEMA, 'hostlink');
  assert.equal(config.REDIS_KEY_PREFIX, '');
});

test('the default instance id is one NATS subject token', () => {
  assert.match(loadConfig(schema, complete).INSTANCE_ID, /^[A-Za-z0-9_-]{1,128}$/);
});

test('refuses hostile or malformed values, naming each variable', () => {
  assertRefused(schema, { ...complete, NATS_URL: 'nats://a:4222,javascript:alert(1)' }, 'NATS_URL');
  assertRefused(schema, { ...complete, NATS_SUBJECT_PREFIX: 'a.>' }, 'NATS_SUBJECT_PREFIX');
  assertRefused(schema, { ...complete, INSTANCE_ID: 'x'.repeat(129) }, 'INSTANCE_ID');
  assertRefused(schema, { ...complete, PUBLIC_URL: 'file:///etc/passwd' }, 'PUBLIC_URL');
  assertRefused(schema, { ...complete, DATABASE_SCHEMA: 'public; DROP TABLE host' }, 'DATABASE_SCHEMA');
  assertRefused(schema, { ...complete, REDIS_KEY_PREFIX: 'a*' }, 'REDIS_KEY_PREFIX');
});

test('ConfigError.names tells which variables have a problem', () => {
  const error = new ConfigError(['NATS_URL: required', 'PORT: too big']);
  assert.ok(error.names('NATS_URL', 'PORT'));
  assert.ok(!error.names('NATS'));
  assert.ok(!error.names('REDIS_URL'));
});
