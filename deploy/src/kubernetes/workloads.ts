import type { ServiceName } from '../env-schemas.js';
import {
  type Container,
  type Deployment,
  type Manifest,
  type Service,
  type StatefulSet,
  named,
  ofKind,
  selects,
} from './manifests.js';

/** A service's Deployment or StatefulSet, with the pod template parts the checks read. */
export interface Workload {
  manifest: Manifest & (Deployment | StatefulSet);
  container: Container;
  labels: Record<string, string>;
  /** A name one of its pods could have: relay-0 for a StatefulSet, poll-<hash>-<id> for a Deployment. */
  podName(ordinal?: number): string;
}

export function workloadOf(manifests: Manifest[], service: ServiceName): Workload {
  const candidates = [
    ...ofKind<Deployment>(manifests, 'Deployment'),
    ...ofKind<StatefulSet>(manifests, 'StatefulSet'),
  ];
  const found = candidates.filter((manifest) => manifest.metadata.name === service);
  if (found.length !== 1)
    throw new Error(`expected one Deployment or StatefulSet named ${service}, found ${found.length}`);
  const manifest = found[0]!;
  const template = manifest.spec!.template;
  const container = template.spec!.containers.find((candidate) => candidate.name === service);
  if (!container) throw new Error(`${service}: no container named ${service}`);
  return {
    manifest,
    container,
    labels: template.metadata?.labels ?? {},
    podName: (ordinal = 0) =>
      manifest.kind === 'StatefulSet' ? `${service}-${ordinal}` : `${service}-6d4cf56db6-${ordinal}x7kq`,
  };
}

/** The container port a probe or a Service's targetPort names (by name or number). */
export function containerPort(container: Container, port: number | string): number {
  const found = container.ports?.find((candidate) =>
    typeof port === 'number' ? candidate.containerPort === port : candidate.name === port,
  );
  if (!found) throw new Error(`${container.name} has no port ${port}`);
  return found.containerPort;
}

/** What a port of a Service reaches: a workload's container port, maybe on one pod only. */
export interface ServiceTarget {
  workload: Workload;
  containerPort: number;
  /** Set when the Service selects a single StatefulSet pod by name. */
  podName?: string;
}

export function serviceTarget(
  manifests: Manifest[],
  workloads: Workload[],
  serviceName: string,
  port: { name?: string; number?: number },
): ServiceTarget {
  const service = named<Service>(manifests, 'Service', serviceName);
  const servicePort = service.spec?.ports?.find((candidate) =>
    port.name ? candidate.name === port.name : candidate.port === port.number,
  );
  if (!servicePort) throw new Error(`Service/${serviceName} has no port ${port.name ?? port.number}`);
  const selector = service.spec?.selector ?? {};
  const podName = selector[POD_NAME_LABEL];
  const workload = workloads.find((candidate) =>
    podName ? isPodOf(podName, candidate) : selects(selector, candidate.labels),
  );
  if (!workload) throw new Error(`Service/${serviceName} selects no workload's pods`);
  return {
    workload,
    containerPort: containerPort(workload.container, servicePort.targetPort ?? servicePort.port),
    ...(podName ? { podName } : {}),
  };
}

/** The label a StatefulSet's controller puts on each pod: a Service for one pod selects it. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

function isPodOf(podName: string, workload: Workload): boolean {
  const prefix = `${workload.manifest.metadata.name}-`;
  return (
    workload.manifest.kind === 'StatefulSet' &&
    podName.startsWith(prefix) &&
    /^\d+$/.test(podName.slice(prefix.length))
  );
}
