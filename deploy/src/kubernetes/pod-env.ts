import { type ConfigMap, type Container, type Manifest, named, type Secret } from './manifests.js';

/** A pod as far as its environment goes: its name (what `fieldRef: metadata.name` gives). */
export interface PodFacts {
  name: string;
}

/** One config map or secret key a container reads, and the variable it becomes. */
export interface EnvRead {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key: string;
  variable: string;
}

type EnvFromSource = NonNullable<Container['envFrom']>[number];
type ValueSource = NonNullable<NonNullable<Container['env']>[number]['valueFrom']>;

/**
 * The environment the kubelet would give this container, with the values the rendered config maps and
 * secrets hold. Hand-written (no library resolves a pod's environment offline) and limited to what these
 * manifests use: envFrom of config maps and secrets, env values with $(NAME) expansion, configMapKeyRef,
 * secretKeyRef and fieldRef metadata.name; anything else fails the test rather than being guessed at.
 */
export function containerEnv(
  container: Container,
  pod: PodFacts,
  manifests: Manifest[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const { ref, data } = envFromData(source, manifests);
    if (!ref) throw new Error(`${container.name}: unsupported envFrom ${JSON.stringify(source)}`);
    for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const value = variable.valueFrom ? valueFrom(variable.valueFrom, pod, manifests) : (variable.value ?? '');
    if (value !== undefined) env[variable.name] = expand(value, env);
  }
  return env;
}

/** Every config map and secret key a container reads: all keys of an envFrom, one key of a keyRef. */
export function envReads(container: Container, manifests: Manifest[]): EnvRead[] {
  const whole = (container.envFrom ?? []).flatMap((source) => {
    const { ref, data } = envFromData(source, manifests);
    return Object.keys(data).map((key) => ({ ...ref!, key, variable: `${source.prefix ?? ''}${key}` }));
  });
  const byKey = (container.env ?? []).flatMap(({ name, valueFrom }): EnvRead[] => {
    const keyRef = valueFrom?.configMapKeyRef ?? valueFrom?.secretKeyRef;
    if (!keyRef) return [];
    const kind = valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
    return [{ kind, name: keyRef.name!, key: keyRef.key, variable: name }];
  });
  return [...whole, ...byKey];
}

/** The names a container's env list uses to build other values, as $(NAME): POD_NAME, say. */
export function expansionOnlyNames(container: Container): Set<string> {
  const referenced = (container.env ?? []).flatMap(({ value }) =>
    [...(value ?? '').matchAll(REFERENCE)].map((match) => match[1]!),
  );
  return new Set(referenced);
}

function envFromData(
  source: EnvFromSource,
  manifests: Manifest[],
): { ref?: Pick<EnvRead, 'kind' | 'name'>; data: Record<string, string> } {
  if (source.configMapRef) {
    const name = source.configMapRef.name!;
    return { ref: { kind: 'ConfigMap', name }, data: configMapData(manifests, name) };
  }
  if (source.secretRef) {
    const name = source.secretRef.name!;
    return { ref: { kind: 'Secret', name }, data: secretData(manifests, name) };
  }
  return { data: {} };
}

function valueFrom(source: ValueSource, pod: PodFacts, manifests: Manifest[]): string | undefined {
  if (source.fieldRef?.fieldPath === 'metadata.name') return pod.name;
  const keyRef = source.configMapKeyRef ?? source.secretKeyRef;
  if (!keyRef) throw new Error(`unsupported valueFrom ${JSON.stringify(source)}`);
  const data = source.configMapKeyRef
    ? configMapData(manifests, keyRef.name!)
    : secretData(manifests, keyRef.name!);
  const value = data[keyRef.key];
  if (value === undefined && !keyRef.optional) throw new Error(`${keyRef.name} has no key ${keyRef.key}`);
  return value;
}

function configMapData(manifests: Manifest[], name: string): Record<string, string> {
  return named<ConfigMap>(manifests, 'ConfigMap', name).data ?? {};
}

function secretData(manifests: Manifest[], name: string): Record<string, string> {
  const secret = named<Secret>(manifests, 'Secret', name);
  const decoded = Object.entries(secret.data ?? {}).map(([key, value]): [string, string] => [
    key,
    Buffer.from(value, 'base64').toString('utf8'),
  ]);
  return { ...Object.fromEntries(decoded), ...secret.stringData };
}

const REFERENCE = /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;

/** Kubernetes' $(NAME) expansion: a name defined before is replaced, anything else is left as written. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(REFERENCE, (whole, name: string) => env[name] ?? whole);
}
