import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '@hostlink/config';
import { ServerEnv, settingsFrom } from './server.config.js';

const ports = { gateway: 8080, relay: 8200, poll: 8201 };
const relayUrls = (environment: NodeJS.ProcessEnv) => {
  const { relay, relayTcp } = settingsFrom(loadConfig(ServerEnv, environment), ports).urls;
  return { relay, relayTcp };
};

describe('embedded server relay addresses', () => {
  it('offers raw TCP legs on the relay port beside the WebSocket by default', () => {
    assert.deepEqual(relayUrls({}), { relay: 'ws://127.0.0.1:8200/relay', relayTcp: 'tcp://127.0.0.1:8200' });
  });

  it('offers no raw TCP legs when the relay is published elsewhere, unless told where they are', () => {
    const proxied = { HOSTLINK_PUBLIC_RELAY_URL: 'wss://relay.example.com/relay' };
    assert.equal(relayUrls(proxied).relayTcp, undefined);
    const both = { ...proxied, HOSTLINK_PUBLIC_RELAY_TCP_URL: 'tcp://relay.example.com:8200' };
    assert.equal(relayUrls(both).relayTcp, 'tcp://relay.example.com:8200');
  });

  it('refuses a raw TCP address that is not tcp://host:port', () => {
    for (const bad of ['ws://relay.example.com:8200', 'tcp://relay.example.com', 'relay:8200'])
      assert.throws(() => relayUrls({ HOSTLINK_PUBLIC_RELAY_TCP_URL: bad }), /HOSTLINK_PUBLIC_RELAY_TCP_URL/);
  });
});
