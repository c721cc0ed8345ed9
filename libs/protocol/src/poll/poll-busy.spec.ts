import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POLL_MAX_RETRY_AFTER_SECONDS, pollRetryAfterMs } from './poll-busy.js';

describe("a busy poll's retry-after", () => {
  test('is the seconds named plus up to one more', () => {
    assert.equal(
      pollRetryAfterMs('1', () => 0),
      1000,
    );
    assert.equal(
      pollRetryAfterMs('7', () => 0.9999),
      7999,
    );
    assert.equal(
      pollRetryAfterMs(String(POLL_MAX_RETRY_AFTER_SECONDS), () => 0),
      300_000,
    );
  });

  test('anything but whole seconds from 1 to the cap is not honoured', () => {
    const hostile = [
      '0',
      '301',
      '99999',
      '-1',
      '1.5',
      ' 1',
      '1e3',
      '0x10',
      '',
      'soon',
      'Wed, 21 Oct 2026 07:28:00 GMT',
    ];
    for (const header of hostile) assert.equal(pollRetryAfterMs(header), undefined, header);
    for (const header of [undefined, ['1', '2'], 1]) assert.equal(pollRetryAfterMs(header), undefined);
  });
});
