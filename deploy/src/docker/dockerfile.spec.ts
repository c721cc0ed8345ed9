import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { DefaultPort, OpsPath } from '@hostlink/protocol';
import type { z } from 'zod';
import { envDefault, envNames, SERVICES, serverEnvSchema, serviceEnvSchema } from '../env-schemas.js';
import { repoPath } from '../repo.js';
import { type DockerfileFacts, readDockerfile } from './dockerfile.js';
import { runHealthcheck, standInOpsServer } from './healthcheck.js';

const NODE_MAJOR = /\d+/.exec(readJson<{ engines: { node: string } }>('package.json').engines.node)![0];
const ROOT_USERS = new Set(['root', '0', '0:0']);

for (const service of SERVICES) {
  const file = `docker/${service}.Dockerfile`;

  test(`${file}: built in stages on Node ${NODE_MAJOR}, run as non-root with production dependencies only`, () => {
    const image = readDockerfile(file);
    assertBaseAndUser(image);
    assertProductionInstall(image, `apps/${service}`);
    assert.equal(image.final.env.NODE_ENV, 'production');
    assert.deepEqual(image.final.cmd, ['node', `apps/${service}/dist/main.js`]);
    assert.ok(existsSync(repoPath(`apps/${service}/dist/main.js`)), 'CMD runs a file the build makes');
  });

  test(`${file}: exposes the service's listener and ops ports, health check on the ops endpoint`, async () => {
    const schema = await serviceEnvSchema(service);
    const image = readDockerfile(file);
    const ports = envNames(schema).has('PORT')
      ? [envDefault(schema, 'PORT'), envDefault(schema, 'OPS_PORT')]
      : [envDefault(schema, 'OPS_PORT')];
    assert.deepEqual(image.final.expose.map(Number).sort(), (ports as number[]).sort());
    await assertHealthcheck(image, schema, 'OPS_PORT');
  });
}

test('docker/server.Dockerfile: the embedded image is non-root, its settings and health check match the server', async () => {
  const schema = await serverEnvSchema();
  const image = readDockerfile('docker/server.Dockerfile');
  assertBaseAndUser(image);
  const unread = Object.keys(image.final.env).filter(
    (name) => name !== 'NODE_ENV' && !envNames(schema).has(name),
  );
  assert.deepEqual(unread, [], 'ENV sets variables the server does not read');
  const ports = ['HOSTLINK_GATEWAY_PORT', 'HOSTLINK_RELAY_PORT', 'HOSTLINK_POLL_PORT'].map((name) =>
    envDefault(schema, name),
  );
  assert.deepEqual(image.final.expose.map(Number).sort(), (ports as number[]).sort());
  assert.deepEqual(image.final.cmd, ['node', 'apps/server/dist/main.js']);
  await assertHealthcheck(image, schema, 'HOSTLINK_GATEWAY_PORT');
});

test('docker/agent.Dockerfile: the agent image keeps its config in its volume and exposes the direct ports', async () => {
  const image = readDockerfile('docker/agent.Dockerfile');
  assertBaseAndUser(image);
  assertProductionInstall(image, 'apps/agent');
  assert.ok(existsSync(repoPath('apps/agent/dist/main.js')), 'ENTRYPOINT runs a file the build makes');
  // Node is started with the V8 flags the binary's own shebang gives it.
  const shebang = readFileSync(repoPath('apps/agent/dist/main.js'), 'utf8').split('\n')[0]!;
  const flags = shebang
    .replace(/^#!\/usr\/bin\/env -S node/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  assert.deepEqual(image.final.entrypoint, ['node', ...flags, 'apps/agent/dist/main.js']);
  assert.deepEqual(image.final.expose, [`${DefaultPort.agentDirectFirst}-${DefaultPort.agentDirectLast}`]);
  // The agent has no env schema: ask its own config code where the image's ENV puts the config folder.
  const configDir = await agentConfigDir(image.final.env);
  assert.deepEqual(image.final.volumes, [configDir]);
});

function assertBaseAndUser(image: DockerfileFacts): void {
  assert.ok(image.baseImages.length >= 2, 'a build stage, then the runtime stage');
  for (const base of image.baseImages)
    assert.match(base, new RegExp(`^node:${NODE_MAJOR}-`), `${base}: Node ${NODE_MAJOR}`);
  assert.ok(image.final.user && !ROOT_USERS.has(image.final.user), 'the final stage runs as a non-root USER');
}

/** The build installs the workspace's production dependencies by its package name, and copies them over. */
function assertProductionInstall(image: DockerfileFacts, workspace: string): void {
  const { name } = readJson<{ name: string }>(`${workspace}/package.json`);
  const install = image.runs.find((run) => /npm ci\b[^&]*--omit=dev/.test(run));
  assert.ok(install, 'npm ci --omit=dev in the build stage');
  assert.ok(install.includes(`-w ${name}`), `the production install is for ${name}`);
  // Workspaces count as production dependencies of the root: their devDependencies must go first.
  assert.match(
    install,
    /npm pkg delete devDependencies --workspaces[\s\S]*npm ci/,
    'workspace devDependencies dropped',
  );
  for (const copied of [`/src/${workspace}`, '/src/node_modules'])
    assert.ok(
      image.final.copiesFromStages.includes(`build:${copied}`),
      `the final stage copies ${copied} from build`,
    );
}

/**
 * The HEALTHCHECK runs here against a stand-in ops server: healthy when the live path answers 200,
 * unhealthy on 503, and its port falls back to the schema's default when the variable is unset.
 */
async function assertHealthcheck(
  image: DockerfileFacts,
  schema: z.ZodObject,
  portVariable: string,
): Promise<void> {
  const command = image.final.healthcheck;
  assert.ok(command, 'the image has a HEALTHCHECK');
  const fallback = new RegExp(`process\\.env\\.${portVariable} \\|\\| (\\d+)`).exec(command.join(' '));
  assert.equal(
    Number(fallback?.[1]),
    envDefault(schema, portVariable),
    `falls back to the default ${portVariable}`,
  );
  for (const [status, exitCode] of [
    [200, 0],
    [503, 1],
  ] as const) {
    const ops = await standInOpsServer(OpsPath.live, status);
    try {
      assert.equal(
        await runHealthcheck(command, { [portVariable]: String(ops.port) }),
        exitCode,
        `live answers ${status}`,
      );
    } finally {
      await ops.close();
    }
  }
}

async function agentConfigDir(env: Record<string, string>): Promise<string> {
  const module = (await import(pathToFileURL(repoPath('apps/agent/dist/config/agent-config.js')).href)) as {
    resolveConfigDir(option: string | undefined, env: Record<string, string>): string;
  };
  return module.resolveConfigDir(undefined, env);
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(repoPath(file), 'utf8')) as T;
}
