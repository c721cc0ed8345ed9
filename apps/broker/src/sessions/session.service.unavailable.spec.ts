import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '@hostlink/protocol';
import { withCode } from '@hostlink/testing';
import type { TokenSigner } from '@hostlink/token-keys';
import type { ResolvedBrokerOptions } from '../broker.options.js';
import type { AuthJwksCache } from './auth-jwks.cache.js';
import { SessionService } from './session.service.js';

/** What pg reports when the database holding another instance's signing key cannot be reached. */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

test('a session token that cannot be checked because the database is down is unavailable, not unauthenticated', async () => {
  const tokens = { verify: () => Promise.reject(refused) } as unknown as TokenSigner;
  const sessions = new SessionService(
    {} as AuthJwksCache,
    tokens,
    {} as ResolvedBrokerOptions,
    () => new Date(),
  );
  await assert.rejects(sessions.context('any.session.token'), withCode(ErrorCode.Unavailable));
});
