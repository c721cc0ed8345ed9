import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { OpsPath, POLL_PATH, RELAY_WS_PATH } from '@hostlink/protocol';
import { bootConfig, envNames, SERVICES, serviceEnvSchema, type ServiceName } from '../env-schemas.js';
import { repoPath, repoRoot } from '../repo.js';
import { type ComposeService, environmentOf, publishedPorts, readCompose } from './compose.js';

const FILE = 'docker/compose.yaml';
/** What docker/README.md tells people to set before `docker compose up`. */
const SHELL = { ADMIN_PASSWORD: 'compose-test-password' };
const compose = readCompose(FILE, SHELL);
const schemas = new Map(
  await Promise.all(SERVICES.map(async (name) => [name, await serviceEnvSchema(name)] as const)),
);

/** The Compose services that run one of ours, known by the Dockerfile they build. */
const instances = Object.entries(compose.services).flatMap(([name, definition]) => {
  const service = /^docker\/(\w+)\.Dockerfile$/.exec(definition.build?.dockerfile ?? '')?.[1] as
    ServiceName | undefined;
  return service && SERVICES.includes(service) ? [{ name, service, definition }] : [];
});
const ofService = (service: ServiceName) => instances.filter((instance) => instance.service === service);
const configOf = (service: ServiceName, definition: ComposeService) =>
  bootConfig(schemas.get(service)!, environmentOf(definition));

test(`${FILE}: each service's environment passes its own schema and sets nothing it does not read`, () => {
  for (const { name, service, definition } of instances) {
    assert.doesNotThrow(() => configOf(service, definition), name);
    const unread = Object.keys(environmentOf(definition)).filter(
      (variable) => !envNames(schemas.get(service)!).has(variable),
    );
    assert.deepEqual(unread, [], `${name} sets variables ${service} does not read`);
  }
});

test(`${FILE}: the whole distributed stack, with two brokers, two polls and two relays`, () => {
  const count = (service: ServiceName) =>
    ofService(service).reduce((sum, { definition }) => sum + (definition.deploy?.replicas ?? 1), 0);
  assert.deepEqual(Object.fromEntries(SERVICES.map((service) => [service, count(service)])), {
    auth: 1,
    broker: 2,
    poll: 2,
    relay: 2,
    gateway: 1,
  });
});

test(`${FILE}: NATS runs JetStream; the NATS, Redis and Postgres URLs name services of the stack`, () => {
  assert.ok(
    compose.services.nats?.command?.some((flag) => flag === '--jetstream' || flag === '-js'),
    'nats -js',
  );
  for (const { name, definition } of instances) {
    const hosts = Object.values(environmentOf(definition))
      .flatMap((value) => value.split(','))
      .flatMap((value) => (URL.canParse(value.trim()) ? [new URL(value.trim())] : []))
      .filter(({ protocol }) =>
        ['nats:', 'redis:', 'rediss:', 'postgres:', 'postgresql:'].includes(protocol),
      );
    for (const { hostname } of hosts)
      assert.ok(compose.services[hostname], `${name}: ${hostname} is no service here`);
  }
});

test(`${FILE}: published ports reach the listeners; the public URLs name the host ports that reach them`, () => {
  for (const { name, service, definition } of instances)
    for (const { container } of publishedPorts(definition))
      assert.equal(container, configOf(service, definition).PORT, `${name} publishes its listener`);

  const [gateway] = ofService('gateway');
  const gatewayPorts = publishedPorts(gateway!.definition).map(({ host }) => host);
  for (const { name, service, definition } of instances) {
    const publicUrl = configOf(service, definition).PUBLIC_URL as string | undefined;
    if (publicUrl)
      assert.ok(gatewayPorts.includes(urlPort(publicUrl)), `${name}: PUBLIC_URL is the gateway's port`);
  }
});

test(`${FILE}: each relay has its own public URL and id, on the host port that reaches it`, () => {
  const relays = ofService('relay').map(({ name, definition }) => ({
    name,
    definition,
    config: configOf('relay', definition),
  }));
  for (const { name, definition, config } of relays) {
    const url = new URL(config.RELAY_PUBLIC_URL as string);
    assert.equal(url.pathname, RELAY_WS_PATH, name);
    const published = publishedPorts(definition).find(({ host }) => host === urlPort(url.href));
    assert.equal(published?.container, config.PORT, `${name}: ${url.href} reaches its listener`);
  }
  assert.equal(
    new Set(relays.map(({ config }) => config.RELAY_PUBLIC_URL)).size,
    relays.length,
    'distinct URLs',
  );
  assert.equal(
    new Set(relays.map(({ config }) => config.INSTANCE_ID)).size,
    relays.length,
    'distinct relay ids',
  );
});

test(`${FILE}: POLL_PUBLIC_URL is one address in front of every poll instance`, () => {
  const [broker] = ofService('broker');
  const url = new URL(configOf('broker', broker!.definition).POLL_PUBLIC_URL as string);
  assert.equal(url.pathname, POLL_PATH);
  const [front, ...others] = Object.entries(compose.services).filter(([, definition]) =>
    publishedPorts(definition).some(({ host }) => host === urlPort(url.href)),
  );
  assert.ok(front && others.length === 0, `one service publishes ${url.href}`);
  const [frontName, frontDefinition] = front;
  const polls = ofService('poll');
  assert.equal(polls.length, 1, 'the poll instances are replicas of one service, under one name');
  const { name: pollName, definition: pollDefinition } = polls[0]!;
  const pollPort = Number(configOf('poll', pollDefinition).PORT);
  if (frontName === pollName) return;
  const listens = publishedPorts(frontDefinition).find(({ host }) => host === urlPort(url.href))!.container;
  const config = proxyConfig(frontDefinition);
  assert.match(config, new RegExp(`\\blisten\\s+${listens}\\s*;`), `${frontName} listens on ${listens}`);
  assert.match(
    config,
    new RegExp(`\\bserver\\s+${pollName}:${pollPort}\\s*;`),
    `${frontName} forwards to ${pollName}:${pollPort}`,
  );
});

test(`${FILE}: health checks hit the ops endpoints, and every service waited on for health has one`, () => {
  for (const { name, service, definition } of instances) {
    const check = [definition.healthcheck?.test ?? []].flat().join(' ');
    if (!check) continue;
    const ops = Object.values(OpsPath).map(
      (path) => `http://127.0.0.1:${Number(configOf(service, definition).OPS_PORT)}${path}`,
    );
    assert.ok(
      ops.some((endpoint) => check.includes(endpoint)),
      `${name}: the health check calls an ops endpoint`,
    );
  }
  const ours = new Set(instances.map(({ name }) => name));
  for (const [name, definition] of Object.entries(compose.services)) {
    const waitedOn = Object.entries(
      Array.isArray(definition.depends_on) ? {} : (definition.depends_on ?? {}),
    );
    for (const [dependency, { condition }] of waitedOn) {
      if (condition !== 'service_healthy') continue;
      // Our images carry a HEALTHCHECK (checked with each Dockerfile); the others need one here.
      const healthChecked = ours.has(dependency) || compose.services[dependency]?.healthcheck;
      assert.ok(healthChecked, `${name} waits for ${dependency} to be healthy, which has no health check`);
    }
  }
});

test(`${FILE}: every image of ours builds from the repository root with its Dockerfile`, () => {
  for (const { name, service, definition } of instances) {
    assert.equal(
      resolve(repoPath('docker'), definition.build?.context ?? '.'),
      resolve(repoRoot),
      `${name}: context`,
    );
    assert.ok(existsSync(repoPath(`docker/${service}.Dockerfile`)), `${name}: Dockerfile`);
    assert.equal(definition.image, `hostlink/${service}`, `${name}: image name`);
  }
});

/** The proxy's configuration file, mounted from docker/ into the container. */
function proxyConfig(definition: ComposeService): string {
  const mount = (definition.volumes ?? []).find((volume) => volume.startsWith('./'));
  assert.ok(mount, 'the proxy mounts its configuration from docker/');
  return readFileSync(join(repoPath('docker'), mount.split(':')[0]!), 'utf8');
}

function urlPort(url: string): number {
  const { port, protocol } = new URL(url);
  return Number(port || (protocol === 'https:' || protocol === 'wss:' ? 443 : 80));
}
