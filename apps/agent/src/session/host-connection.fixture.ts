import { bytesToBase64Url, HostConnection } from '@hostlink/client-sdk';
import { createNodeCryptoBackend } from '@hostlink/client-sdk/node';
import { defaultPolicy, type ConnectOffer, type Policy } from '@hostlink/protocol';
import { createMemoryLinkPair } from '@hostlink/secure-channel';
import type { AgentConfig } from '../config/agent-config.js';
import type { GrantSigner } from '../login/grant.fixture.js';
import type { HostService } from './host-service.js';

const backend = createNodeCryptoBackend();

export interface InMemoryConnectOptions {
  readonly password?: string;
  readonly policy?: Policy;
  /** A grant naming another client key than the one that opens the channel. */
  readonly cpkOverride?: string;
}

/** The SDK's HostConnection to a HostService over an in-memory link, with a grant from the test signer. */
export async function connectInMemory(
  host: HostService,
  config: AgentConfig,
  signer: GrantSigner,
  options: InMemoryConnectOptions = {},
): Promise<HostConnection> {
  const client = await backend.generateKeyPair();
  const grant = await signer.sign({
    hostId: config.hostId,
    cpk: options.cpkOverride ?? bytesToBase64Url(client.publicKey),
    pol: options.policy,
  });
  const offer: ConnectOffer = {
    hostId: config.hostId,
    hostPublicKey: config.staticKey.publicKey,
    grant,
    relay: { id: 'memory', url: 'memory://relay', ticket: 't' },
    direct: [],
    policy: options.policy ?? defaultPolicy,
  };
  const links = {
    relay: () => {
      const [clientEnd, agentEnd] = createMemoryLinkPair();
      void host.serve(agentEnd, 'relay');
      return Promise.resolve(clientEnd);
    },
  };
  return HostConnection.open({
    offer,
    hostPassword: options.password ?? 'pw',
    staticKeyPair: client,
    backend,
    links,
    via: 'relay',
  });
}
