import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  correlationIdFrom,
  currentCorrelationId,
  saneCorrelationId,
  withCorrelation,
} from './correlation.js';

test('a sane caller id is kept; anything else gets a fresh one', () => {
  assert.equal(correlationIdFrom('abc-123_x.y:z'), 'abc-123_x.y:z');
  for (const bad of ['', 'has space', 'new\nline', 'x'.repeat(129), ['a', 'b'], undefined, '<script>']) {
    assert.equal(saneCorrelationId(bad), undefined, String(bad));
    assert.match(correlationIdFrom(bad), /^[0-9a-f-]{36}$/);
  }
});

test('an id holds for the work it runs, nested ids win, and no id keeps the current one', () => {
  assert.equal(currentCorrelationId(), undefined);
  withCorrelation('outer', () => {
    assert.equal(currentCorrelationId(), 'outer');
    withCorrelation(undefined, () => assert.equal(currentCorrelationId(), 'outer'));
    withCorrelation('inner', () => assert.equal(currentCorrelationId(), 'inner'));
    assert.equal(currentCorrelationId(), 'outer');
  });
  assert.equal(currentCorrelationId(), undefined);
});
