import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '@hostlink/protocol';
import { QueryFailedError } from 'typeorm';
import { databaseUnavailable } from './database-unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

test('connection failures become a retryable unavailable error', () => {
  const unreachable = [
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'all failed'),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout'),
    withCode('terminating connection due to administrator command', '57P01'),
    withCode('the database system is starting up', '57P03'),
    withCode('connection failure', '08006'),
    new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
    new Error('outer', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
  ];
  for (const error of unreachable) {
    const translated = databaseUnavailable(error);
    assert.equal(translated?.code, ErrorCode.Unavailable, error.message);
    assert.equal(translated.retryAfterSeconds, 5);
    assert.match(translated.message, /database is not reachable/);
  }
});

test('every other error is left alone', () => {
  const others: unknown[] = [
    withCode('duplicate key value violates unique constraint', '23505'),
    new QueryFailedError('SELECT x', [], withCode('column "x" does not exist', '42703')),
    new TypeError('cannot read properties of undefined'),
    'a string',
    undefined,
    { code: 'ECONNREFUSED' },
  ];
  for (const error of others) assert.equal(databaseUnavailable(error), undefined, String(error));
});
