import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIAL_STREAM_WINDOW, MAX_STREAM_WINDOW, ReceiveWindow } from './receive-window.js';

const QUARTER = INITIAL_STREAM_WINDOW / 4;

describe('receive window', () => {
  it('returns credit in quarter-window batches', () => {
    const window = new ReceiveWindow();
    assert.equal(window.consumed(QUARTER - 1, false), 0);
    assert.equal(window.consumed(1, false), QUARTER);
  });

  it('doubles for a reader that keeps up, up to the maximum', () => {
    const window = new ReceiveWindow();
    let granted = 0;
    let read = 0;
    while (read < 64 * MAX_STREAM_WINDOW) {
      granted += window.consumed(64 * 1024, true);
      read += 64 * 1024;
    }
    assert.equal(window.current, MAX_STREAM_WINDOW);
    // Everything read came back, plus the growth from the initial window to the maximum.
    assert.ok(granted <= read + MAX_STREAM_WINDOW - INITIAL_STREAM_WINDOW);
    assert.ok(granted >= read + MAX_STREAM_WINDOW - INITIAL_STREAM_WINDOW - MAX_STREAM_WINDOW / 4);
  });

  it('never grows for a reader that falls behind', () => {
    const window = new ReceiveWindow();
    let granted = 0;
    for (let i = 0; i < 1000; i++) granted += window.consumed(64 * 1024, false);
    assert.equal(window.current, INITIAL_STREAM_WINDOW);
    assert.equal(granted, 1000 * 64 * 1024);
  });

  it('counts bytes handed back unread as not consumed', () => {
    const window = new ReceiveWindow();
    assert.equal(window.consumed(QUARTER, false), QUARTER);
    window.consumed(QUARTER - 10, false);
    window.returned(QUARTER - 10);
    assert.equal(window.consumed(QUARTER - 1, false), 0);
  });
});
