import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy, ErrorCode, HostlinkError, type ConnectOffer } from '@hostlink/protocol';
import { acceptChannel, createMemoryLinkPair, type ByteLink } from '@hostlink/secure-channel';
import { createNodeCryptoBackend } from '@hostlink/secure-channel/node';
import { bytesToBase64Url, establishChannel } from './establish-channel.js';
import type { LinkFactory } from './link-factory.js';

const backend = createNodeCryptoBackend();

async function hostPair() {
  const host = await backend.generateKeyPair();
  const client = await backend.generateKeyPair();
  const accepted: string[] = [];
  const serve = (route: string): ByteLink => {
    const [clientEnd, hostEnd] = createMemoryLinkPair();
    void acceptChannel(hostEnd, { staticKeyPair: host, backend }).then(
      () => accepted.push(route),
      () => undefined,
    );
    return clientEnd;
  };
  const offer: ConnectOffer = {
    hostId: crypto.randomUUID(),
    hostPublicKey: bytesToBase64Url(host.publicKey),
    grant: 'g',
    relay: { id: 'memory', url: 'memory://relay', ticket: 't' },
    direct: [{ address: '127.0.0.1', port: 53000 }],
    policy: defaultPolicy,
  };
  return { client, offer, serve, accepted };
}

describe('establishChannel', () => {
  it('prefers a direct candidate that answers within its head start, and never dials the relay then', async () => {
    const { client, offer, serve } = await hostPair();
    let relayDialed = false;
    const links: LinkFactory = {
      direct: () => Promise.resolve(serve('direct')),
      relay: () => {
        relayDialed = true;
        return Promise.resolve(serve('relay'));
      },
    };
    const established = await establishChannel({
      offer,
      staticKeyPair: client,
      backend,
      links,
      directHeadStartMs: 5_000,
    });
    assert.equal(established.route, 'direct');
    established.channel.close();
    assert.equal(relayDialed, false);
  });

  it('falls back to the relay at once when every direct candidate fails', async () => {
    const { client, offer, serve } = await hostPair();
    const links: LinkFactory = {
      direct: () => Promise.reject(new Error('refused')),
      relay: () => Promise.resolve(serve('relay')),
    };
    const established = await establishChannel({
      offer,
      staticKeyPair: client,
      backend,
      links,
      directHeadStartMs: 60_000,
    });
    assert.equal(established.route, 'relay');
    established.channel.close();
  });

  it('honours --via and reports every failure in one error', async () => {
    const { client, offer, serve } = await hostPair();
    const links: LinkFactory = {
      direct: () => Promise.reject(new Error('refused')),
      relay: () => Promise.resolve(serve('relay')),
    };
    await assert.rejects(
      establishChannel({ offer, staticKeyPair: client, backend, links, via: 'direct' }),
      (error: unknown) =>
        error instanceof HostlinkError &&
        error.code === ErrorCode.Unavailable &&
        /refused/.test(error.message),
    );
    const relayOnly = await establishChannel({ offer, staticKeyPair: client, backend, links, via: 'relay' });
    assert.equal(relayOnly.route, 'relay');
    relayOnly.channel.close();
  });

  it('fails the handshake against a host with another key (a relay in the middle cannot pose as the host)', async () => {
    const { client, offer } = await hostPair();
    const impostor = await hostPair();
    const links: LinkFactory = { relay: () => Promise.resolve(impostor.serve('relay')) };
    await assert.rejects(
      establishChannel({ offer, staticKeyPair: client, backend, links, via: 'relay' }),
      HostlinkError,
    );
  });
  it('tells a relay the policy forbids from one the server could not offer this time', async () => {
    const { client, offer } = await hostPair();
    const links: LinkFactory = { relay: () => Promise.reject(new Error('not dialled')) };
    const without = (policy: ConnectOffer['policy']) => ({ ...offer, relay: null, policy });
    const codeOf = (error: unknown) => (error instanceof HostlinkError ? error.code : undefined);
    await assert.rejects(
      establishChannel({
        offer: without(defaultPolicy),
        staticKeyPair: client,
        backend,
        links,
        via: 'relay',
      }),
      (error: unknown) => codeOf(error) === ErrorCode.Unavailable,
    );
    const directOnly = { ...defaultPolicy, network: 'direct-only' as const };
    await assert.rejects(
      establishChannel({ offer: without(directOnly), staticKeyPair: client, backend, links, via: 'relay' }),
      (error: unknown) => codeOf(error) === ErrorCode.PolicyDenied,
    );
  });
});
