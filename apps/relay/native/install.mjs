// npm install hook: builds the kernel-splice addon on Linux (splice(2) is Linux-only). Elsewhere the relay
// uses its stream pipe and says so once at run time.
import { spawnSync } from 'node:child_process';

if (process.platform !== 'linux') {
  console.log('@hostlink/relay: not Linux, kernel splice addon not built (TCP legs use the stream pipe)');
  process.exit(0);
}
// npm puts its own node-gyp on the PATH of lifecycle scripts.
const result = spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
