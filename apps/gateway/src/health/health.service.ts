import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import {
  HostlinkMetrics,
  type OpsAnswer,
  opsAnswer,
  type OpsPathName,
  Readiness,
} from '@hostlink/observability';
import { Jwks, Subject } from '@hostlink/protocol';

/**
 * The gateway's one health story, on its main port and on its ops port alike: live while it runs, ready
 * when the bus answers and auth and broker answer over it.
 */
@Injectable()
export class HealthService {
  readonly readiness: Readiness;

  constructor(
    bus: BusClient,
    private readonly metrics: HostlinkMetrics,
  ) {
    this.readiness = new Readiness({
      [bus.kind]: () => bus.ping(),
      auth: () => bus.request(Subject.authJwks, {}, Jwks),
      broker: () => bus.request(Subject.brokerJwks, {}, Jwks),
    });
  }

  answer(path: OpsPathName): Promise<OpsAnswer> {
    return opsAnswer(path, { readiness: this.readiness, registry: this.metrics.registry });
  }
}
