import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger } from '@nestjs/common';
import { withCorrelation } from '../correlation/correlation.js';
import { JsonLogger, type JsonLoggerOptions } from './json.logger.js';

function capture(options: Partial<JsonLoggerOptions> = {}) {
  const lines: string[] = [];
  const logger = new JsonLogger({
    service: 'broker',
    instance: 'broker-0',
    write: (line) => lines.push(line),
    ...options,
  });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

test('writes one JSON object per line with the service, the context and the fields', () => {
  const { logger, records, lines } = capture();
  logger.log({ msg: 'agent online', hostId: 'h1', level: 'spoofed' }, 'AgentSession');
  logger.warn('plain text', 'Connect');
  assert.ok(lines.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n')));
  const [online, plain] = records();
  assert.match(String(online?.['time']), /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(
    { ...online, time: undefined },
    {
      time: undefined,
      level: 'info',
      service: 'broker',
      instance: 'broker-0',
      context: 'AgentSession',
      msg: 'agent online',
      hostId: 'h1',
    },
  );
  assert.deepEqual([plain?.['level'], plain?.['msg'], plain?.['context']], ['warn', 'plain text', 'Connect']);
});

test('adds the correlation id of the work in progress, across awaits', async () => {
  const { logger, records } = capture();
  await withCorrelation('req-42', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    logger.log('inside');
  });
  logger.log('outside');
  const [inside, outside] = records();
  assert.equal(inside?.['correlationId'], 'req-42');
  assert.equal(outside?.['correlationId'], undefined);
  assert.ok(!('correlationId' in (outside ?? {})));
});

test('works as the logger behind Nest Logger instances, errors with their stack', () => {
  const { logger, records } = capture();
  Logger.overrideLogger(logger);
  try {
    new Logger('Bus').error({ msg: 'handler failed', errorId: 'e1' });
    new Logger('Bus').error('with a stack', 'Error: boom\n    at x (y.js:1:1)');
    new Logger('Relay').error(new Error('exploded'));
  } finally {
    Logger.overrideLogger(false);
  }
  const [fields, withStack, error] = records();
  assert.deepEqual(
    [fields?.['context'], fields?.['msg'], fields?.['errorId']],
    ['Bus', 'handler failed', 'e1'],
  );
  assert.match(String(withStack?.['stack']), /^Error: boom/);
  assert.equal(withStack?.['context'], 'Bus');
  assert.deepEqual([error?.['msg'], error?.['context']], ['exploded', 'Relay']);
  assert.match(String(error?.['stack']), /exploded/);
});

test('leaves out levels below the configured one', () => {
  const { logger, records } = capture({ level: 'warn' });
  logger.debug('noise');
  logger.log('info');
  logger.warn('kept');
  logger.fatal('kept too');
  assert.deepEqual(
    records().map((record) => record['msg']),
    ['kept', 'kept too'],
  );
  const verbose = capture({ level: 'debug' });
  verbose.logger.debug('shown');
  assert.equal(verbose.records()[0]?.['level'], 'debug');
});

test('a value JSON cannot write still gives a line', () => {
  const { logger, records } = capture();
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  logger.log({ msg: 'loop', loop, big: 1n });
  assert.deepEqual([records()[0]?.['msg'], records()[0]?.['unserializable']], ['loop', true]);
  logger.log({ msg: 'fine', big: 2n, cause: new TypeError('bad') });
  assert.deepEqual(
    [records()[1]?.['big'], records()[1]?.['cause']],
    ['2', { name: 'TypeError', message: 'bad' }],
  );
});
