import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentLoginCache } from './recent-login.cache.js';

const device = (n: number) => {
  const key = new Uint8Array(32);
  new DataView(key.buffer).setUint32(0, n);
  return key;
};

describe('recent login cache', () => {
  it('matches only the same device with the same password, until it expires', () => {
    let now = 0;
    const cache = new RecentLoginCache(1000, () => now);
    cache.remember(device(1), 'correct horse');
    assert.equal(cache.matches(device(1), 'correct horse'), true);
    assert.equal(cache.matches(device(1), 'wrong'), false);
    assert.equal(cache.matches(device(2), 'correct horse'), false);
    now = 1000;
    assert.equal(cache.matches(device(1), 'correct horse'), false);
  });

  it('treats NFC and NFD spellings of one password alike, as scrypt verification does', () => {
    const cache = new RecentLoginCache();
    cache.remember(device(3), 'caf\u00e9 au lait');
    assert.equal(cache.matches(device(3), 'cafe\u0301 au lait'), true);
  });

  it('keeps no more than a bounded number of devices, forgetting the oldest', () => {
    const cache = new RecentLoginCache();
    for (let n = 0; n < 1100; n += 1) cache.remember(device(n), 'password');
    assert.equal(cache.matches(device(0), 'password'), false);
    assert.equal(cache.matches(device(1099), 'password'), true);
  });
});
