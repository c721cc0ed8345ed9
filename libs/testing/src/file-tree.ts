import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Relative path (with `/`) → SHA-256 of its content, for every file the fixture wrote. */
export type TreeManifest = Map<string, string>;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Names that break naive file code: scripts, emoji, both Unicode normal forms, spaces, the 255-byte limit. */
export const hostileButLegalNames = [
  '中文文件名.txt',
  'مرحبا بالعالم.txt',
  '🚀 launch 🎉.md',
  'caf\u00e9.txt', // NFC
  'cafe\u0301.txt', // NFD: looks the same, is a different file
  'two  spaces and trailing .txt',
  `${'n'.repeat(251)}.bin`, // 255 bytes in ASCII
  `${'文'.repeat(85)}`, // 255 bytes in UTF-8
  'ελληνικά και русский.txt',
  "quote's & <markup>.html",
] as const;

/** Writes the end-to-end suite's shared tree and returns its manifest. */
export async function writeHostileTree(root: string, bigFileBytes: number): Promise<TreeManifest> {
  const manifest: TreeManifest = new Map();
  const put = async (relative: string, content: Uint8Array) => {
    await mkdir(dirname(join(root, relative)), { recursive: true });
    await writeFile(join(root, relative), content);
    manifest.set(relative, sha256(content));
  };
  for (const [index, name] of hostileButLegalNames.entries()) await put(name, randomBytes(index * 997 + 1));
  await put('empty.dat', new Uint8Array());
  await put('deep/er/and/deeper/still/leaf.txt', Buffer.from('at the bottom\n'));
  await put('文件夹/مجلد/📁 folder/nested.txt', Buffer.from('nested in three scripts\n'));
  await mkdir(join(root, 'empty folder'), { recursive: true });
  manifest.set('big/large.bin', await writeLargeFile(join(root, 'big', 'large.bin'), bigFileBytes));
  return manifest;
}

/** Writes `size` bytes of random content in 1 MiB blocks and returns its SHA-256. */
export async function writeLargeFile(path: string, size: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const block = randomBytes(Math.min(1 << 20, size - written));
      await file.write(block);
      hash.update(block);
      written += block.length;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
