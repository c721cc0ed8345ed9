import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './load-config.js';

const schema = z.object({ PORT: env.port(8080), PUBLIC_URL: env.url(), DEBUG: env.flag(false) });

test('parses and defaults environment values', () => {
  const config = loadConfig(schema, { PUBLIC_URL: 'http://127.0.0.1:8080', DEBUG: 'yes' });
  assert.deepEqual(config, { PORT: 8080, PUBLIC_URL: 'http://127.0.0.1:8080', DEBUG: true });
});

test('names every missing or bad value at once', () => {
  assert.throws(
    () => loadConfig(schema, { PORT: '70000', DEBUG: 'maybe' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.length === 3 &&
      ['PORT', 'PUBLIC_URL', 'DEBUG'].every((name) => error.message.includes(name)),
  );
});
