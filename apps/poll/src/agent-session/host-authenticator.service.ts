import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { ErrorCode, HostKeyResponse, HostlinkError, Subject } from '@hostlink/protocol';
import type { Challenge } from './host-proof.js';
import { verifyProof } from './host-proof.js';

/** Checks an agent's proof against the static key the broker registered for its host. */
@Injectable()
export class HostAuthenticator {
  constructor(private readonly bus: BusClient) {}

  /** False for an unknown host or a wrong proof; throws `unavailable` when the broker cannot be asked. */
  async verify(hostId: string, challenge: Challenge, proof: string): Promise<boolean> {
    let key: HostKeyResponse;
    try {
      key = await this.bus.request(Subject.brokerHostKey, { hostId }, HostKeyResponse);
    } catch (error) {
      if (error instanceof HostlinkError && error.code === ErrorCode.NotFound) return false;
      throw error;
    }
    return key.hostId === hostId && verifyProof(challenge, key.publicKey, hostId, proof);
  }
}
