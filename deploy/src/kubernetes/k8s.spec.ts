import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ApiPath, OpsPath, POLL_PATH, RELAY_WS_PATH } from '@hostlink/protocol';
import { bootConfig, envNames, SERVICES, serviceEnvSchema, type ServiceName } from '../env-schemas.js';
import { routeOf } from './ingress.js';
import { renderKustomization } from './kustomize.js';
import {
  type Container,
  type HorizontalPodAutoscaler,
  type Manifest,
  nameOf,
  ofKind,
  type PodDisruptionBudget,
  selects,
  type Service,
  type StatefulSet,
  validateManifest,
} from './manifests.js';
import { containerEnv, envReads, expansionOnlyNames } from './pod-env.js';
import { containerPort, serviceTarget, type Workload, workloadOf } from './workloads.js';

const schemas = new Map(
  await Promise.all(SERVICES.map(async (name) => [name, await serviceEnvSchema(name)] as const)),
);
const schemaOf = (service: ServiceName) => schemas.get(service)!;

/** The services whose replica count follows load. */
const AUTOSCALED: ServiceName[] = ['poll', 'relay', 'broker'];

/** The base is for trying out (plain ws:// and http://); production is TLS end to end, images tagged. */
const KUSTOMIZATIONS = [
  { dir: 'base', production: false },
  { dir: 'overlays/production', production: true },
];

for (const { dir, production } of KUSTOMIZATIONS) {
  describe(`k8s/${dir}`, () => {
    let manifests: Manifest[] = [];
    let workloads: Workload[] = [];
    const workload = (service: ServiceName) =>
      workloads.find((found) => found.manifest.metadata.name === service)!;
    /** The validated config a pod of this service would boot with. */
    const configOf = (service: ServiceName, ordinal = 0) =>
      bootConfig(schemaOf(service), podEnv(service, ordinal));
    const podEnv = (service: ServiceName, ordinal = 0) =>
      containerEnv(workload(service).container, { name: workload(service).podName(ordinal) }, manifests);

    before(async () => {
      manifests = await renderKustomization(dir);
      workloads = SERVICES.map((service) => workloadOf(manifests, service));
    });

    test('every object is valid against the Kubernetes schema of its kind', () => {
      assert.ok(manifests.length > 0);
      for (const manifest of manifests)
        assert.doesNotThrow(() => validateManifest(manifest), nameOf(manifest));
    });

    for (const service of SERVICES) {
      test(`${service}: its environment passes its own schema, and sets nothing the service does not read`, () => {
        assert.doesNotThrow(() => configOf(service));
        for (const [name, value] of Object.entries(podEnv(service)))
          assert.doesNotMatch(
            value,
            /\$\([A-Za-z_]\w*\)/,
            `${service}: ${name} refers to a variable not defined above it`,
          );
        const { container } = workload(service);
        const known = envNames(schemaOf(service));
        const helpers = expansionOnlyNames(container);
        // Whole config maps too: a key that another service still reads must not hide a rename in this one.
        const set = [
          ...(container.env ?? []).map(({ name }) => name),
          ...envReads(container, manifests).map(({ variable }) => variable),
        ];
        const unread = [...new Set(set)].filter((name) => !known.has(name) && !helpers.has(name));
        assert.deepEqual(unread, [], `${service} sets variables its schema does not read`);
      });

      test(`${service}: probes on the ops port and paths, its listener's port declared, resources bounded, image pinned`, () => {
        const { container } = workload(service);
        const config = configOf(service);
        assertProbe(container, 'livenessProbe', OpsPath.live, config.OPS_PORT);
        assertProbe(container, 'readinessProbe', OpsPath.ready, config.OPS_PORT);
        if (container.startupProbe) assertProbe(container, 'startupProbe', OpsPath.live, config.OPS_PORT);
        if ('PORT' in config) assert.equal(containerPort(container, config.PORT as number), config.PORT);
        for (const bound of ['requests', 'limits'] as const)
          for (const resource of ['cpu', 'memory'])
            assert.ok(container.resources?.[bound]?.[resource], `${service}: no ${resource} ${bound}`);
        if (production) assert.match(container.image ?? '', /:[^:/]+$/, `${service}: the image has no tag`);
        assert.doesNotMatch(container.image ?? '', /:latest$/, `${service}: pin an image tag, not latest`);
      });
    }

    test('every key of a config map or secret is read by a service that loads it', () => {
      const read = new Set<string>();
      for (const service of SERVICES) {
        const known = envNames(schemaOf(service));
        for (const entry of envReads(workload(service).container, manifests))
          if (known.has(entry.variable)) read.add(`${entry.kind}/${entry.name}/${entry.key}`);
      }
      for (const manifest of [
        ...ofKind<{ data?: object }>(manifests, 'ConfigMap'),
        ...ofKind<{ data?: object }>(manifests, 'Secret'),
      ]) {
        const unread = Object.keys(manifest.data ?? {}).filter(
          (key) => !read.has(`${nameOf(manifest)}/${key}`),
        );
        assert.deepEqual(
          unread,
          [],
          `${nameOf(manifest)} holds keys no service reads (renamed in the code?)`,
        );
      }
    });

    test('poll, relay and broker scale with an autoscaler that owns their replica count', () => {
      for (const service of AUTOSCALED) {
        const { manifest } = workload(service);
        const autoscalers = ofKind<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler').filter(
          ({ spec }) => spec?.scaleTargetRef.kind === manifest.kind && spec.scaleTargetRef.name === service,
        );
        assert.equal(autoscalers.length, 1, `${service}: one HorizontalPodAutoscaler`);
        const { minReplicas = 1, maxReplicas } = autoscalers[0]!.spec!;
        assert.ok(minReplicas >= 2 && minReplicas <= maxReplicas, `${service}: between 2 and max replicas`);
        assert.equal(
          manifest.spec?.replicas,
          undefined,
          `${service}: replicas set by hand would fight the autoscaler`,
        );
      }
    });

    test('every workload has one disruption budget over its pods', () => {
      for (const { manifest, labels } of workloads) {
        const budgets = ofKind<PodDisruptionBudget>(manifests, 'PodDisruptionBudget').filter(({ spec }) =>
          selects(spec?.selector?.matchLabels, labels),
        );
        assert.equal(budgets.length, 1, `${nameOf(manifest)}: one PodDisruptionBudget`);
      }
    });

    test('every relay the autoscaler may start has its own public URL, routed to that pod alone', () => {
      const relay = workload('relay');
      assert.equal(relay.manifest.kind, 'StatefulSet', 'relays need stable pod names');
      const serviceName = (relay.manifest as StatefulSet).spec?.serviceName;
      const headless = ofKind<Service>(manifests, 'Service').find(
        ({ metadata }) => metadata.name === serviceName,
      );
      assert.equal(headless?.spec?.clusterIP, 'None', 'the StatefulSet names a headless Service');
      const autoscaler = ofKind<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler').find(
        ({ spec }) => spec?.scaleTargetRef.name === 'relay',
      )!;
      const urls = new Set<string>();
      for (let ordinal = 0; ordinal < autoscaler.spec!.maxReplicas; ordinal++) {
        const config = configOf('relay', ordinal);
        const url = new URL(config.RELAY_PUBLIC_URL as string);
        urls.add(url.href);
        assert.equal(url.pathname, RELAY_WS_PATH);
        const route = routeOf(manifests, url);
        const target = serviceTarget(manifests, workloads, route.service, route.port);
        assert.equal(
          target.podName,
          relay.podName(ordinal),
          `${url.href} reaches ${relay.podName(ordinal)} only`,
        );
        assert.equal(target.containerPort, config.PORT);
        assertTransport(url, route.tls);
      }
      assert.equal(urls.size, autoscaler.spec!.maxReplicas, 'each relay pod has its own URL');
    });

    test('the public URLs reach the gateway and the poll instances through the Ingress', () => {
      const gatewayPort = configOf('gateway').PORT;
      const api = new URL(`${publicUrl('PUBLIC_URL')}${ApiPath.session}`);
      const apiRoute = routeOf(manifests, api);
      const gateway = serviceTarget(manifests, workloads, apiRoute.service, apiRoute.port);
      assert.equal(gateway.workload, workload('gateway'), `${api.href} reaches the gateway`);
      assert.equal(gateway.containerPort, gatewayPort);
      assertTransport(api, apiRoute.tls);

      const poll = new URL(publicUrl('POLL_PUBLIC_URL'));
      assert.equal(poll.pathname, POLL_PATH);
      const pollRoute = routeOf(manifests, poll);
      const polls = serviceTarget(manifests, workloads, pollRoute.service, pollRoute.port);
      assert.equal(polls.workload, workload('poll'), `${poll.href} reaches the poll pods`);
      assert.equal(polls.podName, undefined, `${poll.href} reaches every poll pod, not one`);
      assert.equal(polls.containerPort, configOf('poll').PORT);
      assertTransport(poll, pollRoute.tls);
    });

    test('NATS, Redis and Postgres URLs name Services of the kustomization', () => {
      const services = new Set(ofKind<Service>(manifests, 'Service').map(({ metadata }) => metadata.name));
      for (const service of SERVICES) {
        const hosts = Object.values(podEnv(service))
          .flatMap((value) => value.split(','))
          .flatMap((value) => (URL.canParse(value.trim()) ? [new URL(value.trim())] : []))
          .filter(({ protocol }) => BACKING_SCHEMES.has(protocol))
          .map(({ hostname }) => hostname);
        for (const host of hosts) assert.ok(services.has(host), `${service}: ${host} is no Service here`);
      }
    });

    /** The value the services read for a public URL variable: they must all agree. */
    function publicUrl(variable: string): string {
      const values = SERVICES.filter((service) => envNames(schemaOf(service)).has(variable)).map(
        (service) => configOf(service)[variable] as string,
      );
      assert.ok(values.length > 0, `some service reads ${variable}`);
      assert.equal(new Set(values).size, 1, `every service reads the same ${variable}`);
      return values[0]!;
    }

    /** Secure schemes must end at a TLS host of the Ingress; production allows nothing else. */
    function assertTransport(url: URL, tls: boolean): void {
      const secure = url.protocol === 'https:' || url.protocol === 'wss:';
      if (production) assert.ok(secure, `${url.href}: production serves TLS only`);
      if (secure) assert.ok(tls, `${url.href}: the Ingress has no TLS for ${url.hostname}`);
    }
  });
}

const BACKING_SCHEMES = new Set(['nats:', 'tls:', 'redis:', 'rediss:', 'postgres:', 'postgresql:']);

function assertProbe(
  container: Container,
  probe: 'livenessProbe' | 'readinessProbe' | 'startupProbe',
  path: string,
  opsPort: unknown,
): void {
  const httpGet = container[probe]?.httpGet;
  assert.ok(httpGet, `${container.name}: no HTTP ${probe}`);
  assert.equal(httpGet.path, path, `${container.name}: ${probe} path`);
  assert.equal(containerPort(container, httpGet.port), opsPort, `${container.name}: ${probe} on OPS_PORT`);
}
