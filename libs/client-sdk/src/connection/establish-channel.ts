import { ErrorCode, HostlinkError, type Candidate, type ConnectOffer } from '@hostlink/protocol';
import {
  initiateChannel,
  type ByteLink,
  type CryptoBackend,
  type KeyPair,
  type SecureChannel,
} from '@hostlink/secure-channel';
import type { LinkFactory } from './link-factory.js';

export type Route = 'direct' | 'relay';
export type Via = 'auto' | Route;

export interface EstablishOptions {
  readonly offer: ConnectOffer;
  readonly staticKeyPair: KeyPair;
  readonly backend: CryptoBackend;
  readonly links: LinkFactory;
  readonly via?: Via;
  /** How long direct candidates get before the relay is tried too. */
  readonly directHeadStartMs?: number;
}

export interface Established {
  readonly channel: SecureChannel;
  readonly route: Route;
}

interface RaceState {
  winner: Established | null;
}

interface Attempt {
  readonly label: string;
  readonly promise: Promise<Established>;
}

const DEFAULT_HEAD_START_MS = 300;

/**
 * Tries direct candidates and the relay in parallel (direct first, by a head start) and keeps the first
 * whose Noise IK handshake completes with the host's key from the offer; every other attempt is closed.
 */
export async function establishChannel(options: EstablishOptions): Promise<Established> {
  const via = options.via ?? 'auto';
  const remote = base64UrlToBytes(options.offer.hostPublicKey);
  const handshake = async (link: ByteLink, route: Route): Promise<Established> => ({
    channel: await initiateChannel(link, {
      staticKeyPair: options.staticKeyPair,
      backend: options.backend,
      remoteStaticPublicKey: remote,
    }),
    route,
  });
  const race: RaceState = { winner: null };
  const direct = via === 'relay' ? [] : directAttempts(options, handshake);
  const directDone =
    direct.length > 0 ? Promise.allSettled(direct.map((attempt) => attempt.promise)) : Promise.resolve();
  const relay = via === 'direct' ? [] : relayAttempt(options, handshake, directDone, race);
  const attempts = [...direct, ...relay];
  if (attempts.length === 0) throw noRoute(via, options.offer);
  return firstToComplete(attempts, race);
}

function directAttempts(
  options: EstablishOptions,
  handshake: (link: ByteLink, route: Route) => Promise<Established>,
): Attempt[] {
  const dial = options.links.direct?.bind(options.links);
  if (!dial) return [];
  return options.offer.direct.map((candidate: Candidate) => ({
    label: `direct ${candidate.address}:${candidate.port}`,
    promise: dial(candidate).then((link) => handshake(link, 'direct')),
  }));
}

function relayAttempt(
  options: EstablishOptions,
  handshake: (link: ByteLink, route: Route) => Promise<Established>,
  directDone: Promise<unknown>,
  race: RaceState,
): Attempt[] {
  const relay = options.offer.relay;
  if (!relay) return [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const headStart = new Promise<void>(
    (resolve) => (timer = setTimeout(resolve, options.directHeadStartMs ?? DEFAULT_HEAD_START_MS)),
  );
  const promise = Promise.race([headStart, directDone]).then(async () => {
    clearTimeout(timer);
    // A direct channel that already won makes the relay leg pointless.
    if (race.winner) throw new Error('not needed');
    return handshake(await options.links.relay(relay, relay.ticket), 'relay');
  });
  return [{ label: 'relay', promise }];
}

/** First success wins; later successes are closed at once; if all fail, one error lists why. */
function firstToComplete(attempts: Attempt[], race: RaceState): Promise<Established> {
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    for (const attempt of attempts) {
      attempt.promise.then(
        (established) => {
          if (race.winner) return established.channel.close();
          race.winner = established;
          resolve(established);
        },
        (error: unknown) => {
          failures.push(`${attempt.label}: ${error instanceof Error ? error.message : String(error)}`);
          if (failures.length === attempts.length) {
            reject(
              new HostlinkError(ErrorCode.Unavailable, `could not reach the host (${failures.join('; ')})`),
            );
          }
        },
      );
    }
  });
}

function noRoute(via: Via, offer: ConnectOffer): HostlinkError {
  if (via === 'direct')
    return new HostlinkError(
      ErrorCode.Unavailable,
      'the host reported no direct address: try `--via relay` or `--via auto`',
    );
  if (via === 'relay' && offer.policy.network === 'direct-only')
    return new HostlinkError(
      ErrorCode.PolicyDenied,
      'policy does not allow the relay for this host: try `--via direct` on its network',
    );
  if (via === 'relay')
    // Allowed, but none came with this offer: no relay free right now, or the host's agent could not be told.
    return new HostlinkError(
      ErrorCode.Unavailable,
      'the server offered no relay for this connection this time: try again in a moment',
    );
  return new HostlinkError(
    ErrorCode.Unavailable,
    `no way to reach host ${offer.hostId}: no relay and no direct address`,
  );
}

export function base64UrlToBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
