import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this module runs from deploy/dist). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);
