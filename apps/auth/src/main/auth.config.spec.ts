import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { assertRefused } from '@hostlink/config/testing';
import { AuthEnv } from './auth.config.js';

const complete = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DATABASE_URL: 'postgresql://hostlink:secret@db:5432/hostlink',
  PUBLIC_URL: 'https://hostlink.example.com',
};

const refuses = (environment: NodeJS.ProcessEnv, ...names: string[]) =>
  assertRefused(AuthEnv, environment, ...names);

test('accepts a complete environment', () => {
  const config = loadConfig(AuthEnv, { ...complete, INSTANCE_ID: 'auth-0' });
  assert.deepEqual(config.NATS_URL, ['nats://127.0.0.1:4222']);
  assert.equal(config.INSTANCE_ID, 'auth-0');
  assert.equal(config.NATS_SUBJECT_PREFIX, undefined);
  assert.equal(config.SAML_CLOCK_SKEW_SECONDS, 60);
  assert.equal(loadConfig(AuthEnv, { ...complete, SAML_CLOCK_SKEW_SECONDS: '0' }).SAML_CLOCK_SKEW_SECONDS, 0);
});

test('names every missing variable at once', () => {
  refuses({}, 'NATS_URL', 'DATABASE_URL', 'PUBLIC_URL');
});

test('refuses bad values, naming the variable', () => {
  refuses({ ...complete, NATS_URL: '127.0.0.1:4222' }, 'NATS_URL');
  refuses({ ...complete, DATABASE_URL: 'sqlite:///data/hostlink.sqlite' }, 'DATABASE_URL');
  refuses({ ...complete, PUBLIC_URL: 'hostlink.example.com' }, 'PUBLIC_URL');
  refuses({ ...complete, SAML_CLOCK_SKEW_SECONDS: '-1' }, 'SAML_CLOCK_SKEW_SECONDS');
  refuses({ ...complete, SAML_CLOCK_SKEW_SECONDS: '3600' }, 'SAML_CLOCK_SKEW_SECONDS');
});

test('the first admin comes as an email and a password together, or not at all', () => {
  const admin = { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'correct horse battery' };
  assert.equal(loadConfig(AuthEnv, { ...complete, ...admin }).ADMIN_EMAIL, 'admin@example.com');
  refuses({ ...complete, ADMIN_EMAIL: admin.ADMIN_EMAIL }, 'ADMIN_PASSWORD');
  refuses({ ...complete, ADMIN_PASSWORD: admin.ADMIN_PASSWORD }, 'ADMIN_PASSWORD');
  refuses({ ...complete, ...admin, ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD');
  refuses({ ...complete, ...admin, ADMIN_EMAIL: 'not an email' }, 'ADMIN_EMAIL');
});
