import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComebackSchedule } from './comeback-schedule.js';

/** A schedule on a clock the test moves. */
function scheduleAt(perSecond: number) {
  const clock = { now: 10_000 };
  const schedule = new ComebackSchedule(perSecond, () => clock.now);
  const refuse = (count: number) => Array.from({ length: count }, () => schedule.retryAfterSeconds());
  return { clock, refuse };
}

describe('ComebackSchedule', () => {
  test('a burst refused at once is spread over the seconds ahead at its rate, one second at least', () => {
    const { refuse } = scheduleAt(100);
    const waits = refuse(1000);
    const perSecond = new Map<number, number>();
    for (const wait of waits) perSecond.set(wait, (perSecond.get(wait) ?? 0) + 1);
    assert.equal(Math.min(...waits), 1);
    assert.equal(Math.max(...waits), 11);
    for (let second = 1; second <= 10; second += 1) assert.ok(Math.abs(perSecond.get(second)! - 100) <= 1);
  });

  test('an agent refused again gets the next free slot after those already given', () => {
    const { clock, refuse } = scheduleAt(10);
    assert.deepEqual(refuse(20), [...new Array<number>(9).fill(1), ...new Array<number>(10).fill(2), 3]);
    clock.now += 1500;
    assert.deepEqual(refuse(2), [1, 1], 'slots 3.1 and 3.2 s after the first refusals, 1.5 s later');
    clock.now += 60_000;
    assert.deepEqual(refuse(1), [1], 'all past: a second from now');
  });

  test('the wait is capped', () => {
    const { refuse } = scheduleAt(1);
    assert.equal(Math.max(...refuse(1000)), 300);
  });
});
