import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { z } from 'zod';
import { DEFAULT_OPS_PORT, opsServiceEnv } from './ops.env.js';

const schema = z.object(opsServiceEnv());

test('the ops port is 9400 and logs are at info unless set', () => {
  assert.deepEqual(loadConfig(schema, {}), { OPS_PORT: DEFAULT_OPS_PORT, LOG_LEVEL: 'info' });
  assert.equal(DEFAULT_OPS_PORT, 9400);
  assert.deepEqual(loadConfig(schema, { OPS_PORT: '9500', LOG_LEVEL: 'debug' }), {
    OPS_PORT: 9500,
    LOG_LEVEL: 'debug',
  });
});

test('a bad port or level is refused, naming it', () => {
  assertRefused(schema, { OPS_PORT: '70000' }, 'OPS_PORT');
  assertRefused(schema, { OPS_PORT: 'ops' }, 'OPS_PORT');
  assertRefused(schema, { LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
});
