import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NoiseVector {
  readonly protocol_name: string;
  readonly init_prologue: string;
  readonly init_static?: string;
  readonly init_ephemeral: string;
  readonly init_remote_static?: string;
  readonly resp_prologue: string;
  readonly resp_static?: string;
  readonly resp_ephemeral: string;
  readonly resp_remote_static?: string;
  readonly handshake_hash: string;
  readonly messages: readonly { readonly payload: string; readonly ciphertext: string }[];
}

const VECTORS_FILE = 'vectors/noise-cacophony-25519-aesgcm-sha256.json';

/** The repo's parent holds `shared/`; this file runs from libs/secure-channel/dist/testing. */
export function sharedDir(): string {
  const override = process.env['HOSTLINK_SHARED_DIR'];
  if (override) return resolve(override);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return resolve(repoRoot, '../shared');
}

export function loadNoiseVectors(): NoiseVector[] {
  const path = resolve(sharedDir(), VECTORS_FILE);
  if (!existsSync(path)) {
    throw new Error(
      `Noise test vectors not found at ${path}; set HOSTLINK_SHARED_DIR to the folder holding vectors/`,
    );
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { vectors: NoiseVector[] };
  return parsed.vectors;
}

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
