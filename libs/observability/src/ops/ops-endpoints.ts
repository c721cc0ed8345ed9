import { OpsPath } from '@hostlink/protocol';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

export type OpsPathName = (typeof OpsPath)[keyof typeof OpsPath];

export const isOpsPath = (path: string): path is OpsPathName =>
  (Object.values(OpsPath) as string[]).includes(path);

export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

const json = (status: number, value: unknown): OpsAnswer => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});

/**
 * The answer to one of `OpsPath`, wherever it is served (a service's ops port, the gateway's main port):
 * live is 200 while the process runs, ready is 200 or 503 with each dependency up or down, metrics is
 * Prometheus text.
 */
export async function opsAnswer(
  path: OpsPathName,
  sources: { readiness: Readiness; registry: Registry },
): Promise<OpsAnswer> {
  switch (path) {
    case OpsPath.live:
      return json(200, { status: 'live' });
    case OpsPath.ready: {
      const report = await sources.readiness.report();
      return json(report.status === 'ready' ? 200 : 503, report);
    }
    case OpsPath.metrics:
      return {
        status: 200,
        contentType: sources.registry.contentType,
        body: await sources.registry.metrics(),
      };
  }
}
