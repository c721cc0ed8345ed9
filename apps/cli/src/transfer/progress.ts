import { SingleBar, Presets } from 'cli-progress';
import { humanSize } from '../output/format.js';

export interface Progress {
  start(total: number, done: number): void;
  add(bytes: number): void;
  stop(): void;
}

/** A bar on stderr when it is a terminal; silent otherwise (scripts, CI, pipes). */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { start: () => undefined, add: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% {done}/{size} {speed}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let done = 0;
  let started = Date.now();
  let startDone = 0;
  const payload = (total: number) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return {
      done: humanSize(done),
      size: humanSize(total),
      speed: `${humanSize((done - startDone) / seconds)}/s`,
    };
  };
  let total = 0;
  return {
    start(size, already) {
      total = size;
      done = already;
      startDone = already;
      started = Date.now();
      bar.start(size, already, payload(size));
    },
    add(bytes) {
      done += bytes;
      bar.update(done, payload(total));
    },
    stop: () => bar.stop(),
  };
}
