import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { Jwks, Subject } from '@hostlink/protocol';

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: { auth: 'up' | 'down'; broker: 'up' | 'down' };
}

/** Liveness is answering at all; readiness is auth and broker answering over the bus. */
@Injectable()
export class HealthService {
  constructor(private readonly bus: BusClient) {}

  async check(): Promise<HealthReport> {
    const [auth, broker] = await Promise.all([
      this.answers(Subject.authJwks),
      this.answers(Subject.brokerJwks),
    ]);
    return {
      status: auth && broker ? 'ok' : 'degraded',
      checks: { auth: auth ? 'up' : 'down', broker: broker ? 'up' : 'down' },
    };
  }

  private async answers(subject: string): Promise<boolean> {
    try {
      await this.bus.request(subject, {}, Jwks);
      return true;
    } catch {
      return false;
    }
  }
}
