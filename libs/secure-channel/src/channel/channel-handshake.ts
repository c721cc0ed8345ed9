import type { CryptoBackend, KeyPair } from '../crypto/crypto-backend.js';
import type { ByteLink } from '../link/byte-link.js';
import { HandshakeState } from '../noise/handshake-state.js';
import { SecureChannelError, SecureChannelErrorCode } from '../secure-channel.exception.js';
import { FramedLink } from './framed-link.js';
import { SecureChannel } from './secure-channel.js';

/** Binds both ends to this protocol version; a peer speaking another version fails the handshake. */
export const HOSTLINK_PROLOGUE: Uint8Array = new TextEncoder().encode('hostlink/1');
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 15_000;

interface CommonOptions {
  readonly staticKeyPair: KeyPair;
  readonly backend: CryptoBackend;
  /** Defaults to HOSTLINK_PROLOGUE; both ends must use the same bytes. */
  readonly prologue?: Uint8Array;
  readonly handshakeTimeoutMs?: number;
}

export interface InitiateChannelOptions extends CommonOptions {
  /** The responder's static key, known in advance (IK): no one in between can impersonate it. */
  readonly remoteStaticPublicKey: Uint8Array;
  /** Sent encrypted in message 1 (not forward secret: it relies on the responder's static key only). */
  readonly payload?: Uint8Array;
}

export interface AcceptChannelOptions extends CommonOptions {
  /**
   * Sees the initiator's payload and static key before the responder answers. Throw to refuse the
   * connection; return bytes to send them as the responder's payload in message 2.
   */
  readonly onPayload?: (
    payload: Uint8Array,
    remoteStaticPublicKey: Uint8Array,
  ) => Uint8Array | void | Promise<Uint8Array | void>;
}

const EMPTY = new Uint8Array(0);

/** Runs Noise_IK_25519_AESGCM_SHA256 as initiator over `link`. */
export function initiateChannel(link: ByteLink, options: InitiateChannelOptions): Promise<SecureChannel> {
  const framed = new FramedLink(link);
  return runHandshake(framed, options, async () => {
    const handshake = await HandshakeState.initialize(options.backend, {
      pattern: 'IK',
      initiator: true,
      prologue: options.prologue ?? HOSTLINK_PROLOGUE,
      staticKeyPair: options.staticKeyPair,
      remoteStaticPublicKey: options.remoteStaticPublicKey,
    });
    await framed.writeFrame(await handshake.writeMessage(options.payload ?? EMPTY));
    const remotePayload = await handshake.readMessage(await framed.nextFrame());
    return new SecureChannel(framed, await handshake.finish(), { isInitiator: true, remotePayload });
  });
}

/** Runs Noise_IK_25519_AESGCM_SHA256 as responder over `link`. */
export function acceptChannel(link: ByteLink, options: AcceptChannelOptions): Promise<SecureChannel> {
  const framed = new FramedLink(link);
  return runHandshake(framed, options, async () => {
    const handshake = await HandshakeState.initialize(options.backend, {
      pattern: 'IK',
      initiator: false,
      prologue: options.prologue ?? HOSTLINK_PROLOGUE,
      staticKeyPair: options.staticKeyPair,
    });
    const remotePayload = await handshake.readMessage(await framed.nextFrame());
    const remoteStaticPublicKey = handshake.remoteStaticPublicKey();
    if (!remoteStaticPublicKey) throw new Error('IK message 1 carried no static key');
    const reply = (await options.onPayload?.(remotePayload, remoteStaticPublicKey)) ?? EMPTY;
    await framed.writeFrame(await handshake.writeMessage(reply));
    return new SecureChannel(framed, await handshake.finish(), { isInitiator: false, remotePayload });
  });
}

/** Enforces the timeout and turns every failure into a closed link and a SecureChannelError. */
async function runHandshake(
  framed: FramedLink,
  options: CommonOptions,
  work: () => Promise<SecureChannel>,
): Promise<SecureChannel> {
  const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const timer = setTimeout(() => {
    framed.close(
      new SecureChannelError(SecureChannelErrorCode.HandshakeTimeout, `no handshake in ${timeoutMs} ms`),
    );
  }, timeoutMs);
  try {
    return await work();
  } catch (cause) {
    const error =
      cause instanceof SecureChannelError && cause.code !== SecureChannelErrorCode.Closed
        ? cause
        : new SecureChannelError(SecureChannelErrorCode.HandshakeFailed, 'secure channel handshake failed', {
            cause,
          });
    framed.close(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
