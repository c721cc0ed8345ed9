import { SingleBar, Presets } from 'cli-progress';
import { humanSize } from '../output/format.js';

export interface Progress {
  /** (Re)starts at `done` of `total` bytes, e.g. again after a reconnection. */
  start(total: number, done: number): void;
  add(bytes: number): void;
  /** `reason` (the connection was lost, or none could be opened); a new one is being opened. */
  reconnecting(reason: string): void;
  stop(): void;
}

/**
 * A bar on stderr when it is a terminal. Otherwise silent (scripts, CI, pipes), but for a line when the
 * connection is lost and re-opened: that is worth a log line.
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    return {
      start: () => undefined,
      add: () => undefined,
      reconnecting: (reason) => void stream.write(`${label}: ${reason}; reconnecting…\n`),
      stop: () => undefined,
    };
  }
  return terminalBar(label, stream);
}

function terminalBar(label: string, stream: NodeJS.WriteStream): Progress {
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% {done}/{size} {speed}{status}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let active = false;
  let done = 0;
  let total = 0;
  let started = Date.now();
  let startDone = 0;
  const payload = (status = '') => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return {
      done: humanSize(done),
      size: humanSize(total),
      speed: `${humanSize((done - startDone) / seconds)}/s`,
      status,
    };
  };
  return {
    start(size, already) {
      total = size;
      done = already;
      startDone = already;
      started = Date.now();
      if (!active) bar.start(size, already, payload());
      else {
        bar.setTotal(size);
        bar.update(already, payload());
      }
      active = true;
    },
    add(bytes) {
      done += bytes;
      bar.update(done, payload());
    },
    reconnecting() {
      if (active) bar.update(done, payload(' reconnecting…'));
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
