import * as models from 'kubernetes-models';
import type { apps, autoscaling, networkingK8sIo, policy, v1 } from 'kubernetes-models';

export type Deployment = apps.v1.IDeployment;
export type StatefulSet = apps.v1.IStatefulSet;
export type Service = v1.IService;
export type ConfigMap = v1.IConfigMap;
export type Secret = v1.ISecret;
export type Container = v1.IContainer;
export type Ingress = networkingK8sIo.v1.IIngress;
export type HorizontalPodAutoscaler = autoscaling.v2.IHorizontalPodAutoscaler;
export type PodDisruptionBudget = policy.v1.IPodDisruptionBudget;

/** One rendered Kubernetes object. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
}

interface KindModel {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

/** Every kind kubernetes-models knows, by "apiVersion kind"; its namespaces nest groups and versions. */
const kindModels = new Map<string, KindModel>();
collectKinds(models);

function collectKinds(namespace: object, depth = 0): void {
  for (const value of Object.values(namespace) as unknown[]) {
    if (isKindModel(value)) kindModels.set(`${value.apiVersion} ${value.kind}`, value);
    else if (value !== null && typeof value === 'object' && depth < 3) collectKinds(value, depth + 1);
  }
}

function isKindModel(value: unknown): value is KindModel {
  const model = value as Partial<KindModel> | null;
  return (
    typeof value === 'function' && typeof model?.apiVersion === 'string' && typeof model.kind === 'string'
  );
}

/** Throws unless the object is valid against its kind's schema from the Kubernetes OpenAPI definitions. */
export function validateManifest(manifest: Manifest): void {
  const Model = kindModels.get(`${manifest.apiVersion} ${manifest.kind}`);
  if (!Model) throw new Error(`no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest).validate();
}

export const nameOf = (manifest: Manifest): string => `${manifest.kind}/${manifest.metadata.name}`;

export function ofKind<T>(manifests: Manifest[], kind: string): (Manifest & T)[] {
  return manifests.filter((manifest) => manifest.kind === kind) as (Manifest & T)[];
}

export function named<T>(manifests: Manifest[], kind: string, name: string): Manifest & T {
  const found = ofKind<T>(manifests, kind).find((manifest) => manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in the rendered manifests`);
  return found;
}

/** Whether a label selector's matchLabels (or a Service's selector) picks pods with these labels. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([key, value]) => labels[key] === value);
}
