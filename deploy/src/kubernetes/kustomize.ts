import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { repoPath } from '../repo.js';
import type { Manifest } from './manifests.js';

const run = promisify(execFile);

const INSTALL_HINT =
  'the deploy tests render k8s/ with `kubectl kustomize`: install kubectl (on Debian: ' +
  'apt-get install -y kubernetes-client, as .ci/run does) and run them again';

/**
 * Renders a kustomization under k8s/ as `kubectl apply -k` would see it. It renders a copy, where each
 * `*.example` file that the kustomization reads stands in for the file it shows (secrets.env is never
 * committed), so the test renders exactly what the README tells people to do.
 */
export async function renderKustomization(dir: string): Promise<Manifest[]> {
  const copy = await mkdtemp(join(tmpdir(), 'hostlink-k8s-'));
  try {
    await cp(repoPath('k8s'), copy, { recursive: true, filter: (source) => !source.endsWith('secrets.env') });
    await cp(join(copy, dir, 'secrets.env.example'), join(copy, dir, 'secrets.env')).catch(ignoreMissing);
    return parseManifests(await kustomize(join(copy, dir)));
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

async function kustomize(dir: string): Promise<string> {
  try {
    const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error(INSTALL_HINT);
    throw new Error(`kubectl kustomize ${dir} failed: ${failure.stderr ?? failure.message}`);
  }
}

function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw document.errors[0]!;
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null)
    .map(unfoldSecretData);
}

/**
 * Newer kustomize folds long base64 values of a Secret over several lines. The API server decodes them
 * as one (Go's base64 skips line breaks); the schema's "byte" format does not, so join them first.
 */
function unfoldSecretData(manifest: Manifest): Manifest {
  const { data } = manifest as Manifest & { data?: Record<string, string> };
  if (manifest.kind !== 'Secret' || !data) return manifest;
  const unfolded = Object.entries(data).map(([key, value]): [string, string] => [
    key,
    value.replace(/[\r\n]/g, ''),
  ]);
  return { ...manifest, data: Object.fromEntries(unfolded) } as Manifest;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
