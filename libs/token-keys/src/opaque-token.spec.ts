import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';

test('an opaque token is its prefix and 32 fresh random bytes', () => {
  const [a, b] = [newOpaqueToken('hle_'), newOpaqueToken('hle_')];
  assert.match(a, /^hle_[\w-]{43}$/);
  assert.notEqual(a, b);
  assert.equal(Buffer.from(a.slice(4), 'base64url').length, 32);
});

test('the stored form is the SHA-256 of the token, stable and not the token', () => {
  const token = newOpaqueToken('hlr_');
  assert.equal(hashOpaqueToken(token), hashOpaqueToken(token));
  assert.match(hashOpaqueToken(token), /^[\w-]{43}$/);
  assert.notEqual(hashOpaqueToken(token), token);
  assert.notEqual(hashOpaqueToken(token), hashOpaqueToken(newOpaqueToken('hlr_')));
  assert.equal(hashOpaqueToken('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
});
