import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPolicy } from '@hostlink/protocol';
import { accountPolicy } from './account-policy.js';

test('stored rules that parse are the policy; none, bad JSON or a wrong shape fall back to the default', () => {
  const directOnly = { ...defaultPolicy, network: 'direct-only' as const };
  assert.deepEqual(accountPolicy(JSON.stringify(directOnly)), directOnly);
  assert.deepEqual(accountPolicy(null), defaultPolicy);
  assert.deepEqual(accountPolicy('{"network":'), defaultPolicy);
  assert.deepEqual(accountPolicy('{"network":"anything","upload":true}'), defaultPolicy);
  assert.deepEqual(accountPolicy('null'), defaultPolicy);
  assert.deepEqual(accountPolicy('"__proto__"'), defaultPolicy);
});
