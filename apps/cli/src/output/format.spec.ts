import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanSize, relativeTime, table } from './format.js';

describe('output formatting', () => {
  it('shows last seen as relative time', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    assert.equal(relativeTime(null, now), 'never');
    assert.equal(relativeTime('2026-01-01T23:59:50Z', now), 'just now');
    assert.equal(relativeTime('2026-01-01T23:55:00Z', now), '5 min ago');
    assert.equal(relativeTime('2026-01-01T21:00:00Z', now), '3 h ago');
    assert.equal(relativeTime('2025-12-31T00:00:00Z', now), '2 days ago');
  });

  it('aligns table columns and sizes', () => {
    assert.equal(table(['A', 'BB'], [['long', 'x']]), 'A     BB\nlong  x');
    assert.equal(humanSize(10), '10 B');
    assert.equal(humanSize(1536), '1.5 KiB');
  });
});
