import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import {
  AgentCommand,
  ApiPath,
  ChannelRequest,
  ErrorCode,
  HostName,
  HostlinkError,
  PollAgentFrame,
  PublicKey,
  RegisterHostRequest,
  isErrorBody,
  parseOrThrow,
  pollCommandSubject,
  RelayTicketClaims,
  subjectFamily,
} from './index.js';

const key = 'A'.repeat(43);

describe('boundary schemas refuse hostile input', () => {
  test('host names keep any script but no control or format characters', () => {
    assert.equal(HostName.parse('  工作站 🚀 مكتب '), '工作站 🚀 مكتب');
    assert.equal(HostName.parse('family 👨\u200d👩\u200d👧'), 'family 👨\u200d👩\u200d👧');
    const refused = [
      '',
      'a\u0000b',
      'line\nbreak',
      'bidi\u202Eevil',
      'x'.repeat(65),
      'a:b',
      '8f14e45f-ceea-4e7b-9f5b-7c8b5d4f2a10',
    ];
    for (const bad of refused) {
      assert.equal(HostName.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  test('public keys are exactly 32 bytes of base64url', () => {
    assert.equal(PublicKey.safeParse(key).success, true);
    for (const bad of [key.slice(1), `${key}A`, `${key.slice(1)}+`, `${key.slice(1)}=`]) {
      assert.equal(PublicKey.safeParse(bad).success, false, bad);
    }
  });

  test('poll frames of unknown type or with extra shapes are refused', () => {
    assert.equal(PollAgentFrame.safeParse({ type: 'heartbeat' }).success, true);
    assert.equal(PollAgentFrame.safeParse({ type: 'rm -rf' }).success, false);
    assert.equal(
      PollAgentFrame.safeParse({ type: 'hello', hostId: 'not-a-uuid', proof: 'x' }).success,
      false,
    );
    assert.equal(PollAgentFrame.safeParse(null).success, false);
  });

  test('channel requests are discriminated by op and bounded', () => {
    assert.deepEqual(ChannelRequest.parse({ op: 'write', path: '/a/b', size: 3 }), {
      op: 'write',
      path: '/a/b',
      size: 3,
      overwrite: false,
    });
    assert.equal(ChannelRequest.safeParse({ op: 'read', path: '/a', offset: -1 }).success, false);
    assert.equal(ChannelRequest.safeParse({ op: 'exec', cmd: 'sh' }).success, false);
    assert.equal(ChannelRequest.safeParse({ op: 'list', path: 'x'.repeat(5000) }).success, false);
  });

  test('agent commands are discriminated by type', () => {
    const hostId = randomUUID();
    assert.deepEqual(AgentCommand.parse({ hostId, command: { type: 'revoke' } }), {
      hostId,
      command: { type: 'revoke' },
    });
    assert.equal(AgentCommand.safeParse({ hostId, command: { type: 'open-relay' } }).success, false);
    assert.equal(AgentCommand.safeParse({ hostId, command: { type: 'exec' } }).success, false);
    assert.equal(AgentCommand.safeParse({ hostId: 'x', command: { type: 'revoke' } }).success, false);
  });

  test('host paths escape the id', () => {
    assert.equal(ApiPath.host('../admin'), '/api/v1/hosts/..%2Fadmin');
  });
});

describe('parseOrThrow', () => {
  test('names the offending field in a bad_request', () => {
    assert.throws(
      () =>
        parseOrThrow(
          RegisterHostRequest,
          { enrollmentToken: 't', name: 'n', os: 'linux', publicKey: 'short' },
          'registration',
        ),
      (error: unknown) =>
        error instanceof HostlinkError &&
        error.code === ErrorCode.BadRequest &&
        /publicKey/.test(error.message),
    );
  });

  test('error bodies are recognised only with a known code', () => {
    assert.equal(isErrorBody({ code: 'not_found', message: 'gone' }), true);
    assert.equal(isErrorBody({ code: 'made_up', message: 'x' }), false);
    assert.equal(isErrorBody({ status: 'error', message: 'Internal server error' }), false);
  });
});

describe('correlation ids', () => {
  test('ride along agent commands and relay tickets only as sane tokens', () => {
    const hostId = randomUUID();
    const command = { hostId, command: { type: 'revoke' }, correlationId: 'req-1.a:b_c' };
    assert.equal(AgentCommand.parse(command).correlationId, 'req-1.a:b_c');
    const claims = { jti: 'j', cid: 'c', role: 'agent', exp: 1, corr: randomUUID() };
    assert.equal(RelayTicketClaims.parse(claims).corr, claims.corr);
    assert.equal(RelayTicketClaims.parse({ ...claims, corr: undefined }).corr, undefined);
    for (const hostile of ['', 'a b', 'x\ny', 'x'.repeat(129), '{"json":1}']) {
      assert.equal(AgentCommand.safeParse({ ...command, correlationId: hostile }).success, false, hostile);
      assert.equal(RelayTicketClaims.safeParse({ ...claims, corr: hostile }).success, false, hostile);
    }
  });

  test("metric labels name every poll instance's command subject as one family", () => {
    assert.equal(subjectFamily(pollCommandSubject('poll-0')), 'poll.*.agent.command.v1');
    assert.equal(subjectFamily('broker.hosts.connect.v1'), 'broker.hosts.connect.v1');
  });
});
