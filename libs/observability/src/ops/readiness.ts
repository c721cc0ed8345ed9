import { Logger } from '@nestjs/common';

/** Resolves when the dependency answers; rejects (or outlasts the timeout) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;
/** By dependency name as reported: `nats`, `postgres`, `redis`, `auth`, … */
export type ReadinessChecks = Record<string, ReadinessCheck>;

export type CheckState = 'up' | 'down';
export interface ReadinessReport {
  /** `starting` until the service has started and handed its checks over. */
  status: 'ready' | 'not-ready' | 'starting';
  checks: Record<string, CheckState>;
}

/** Probes usually give up after 1 s: every check answers well before. */
const DEFAULT_TIMEOUT_MS = 800;

/**
 * Whether a service can do its work now: every dependency it needs answers, each within a short timeout,
 * all at once. A dependency going down or coming back is logged once, not at every probe.
 */
export class Readiness {
  private readonly logger = new Logger('Readiness');
  private readonly last = new Map<string, CheckState>();

  constructor(
    private source?: ReadinessChecks | Readiness,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /**
   * Hands over the checks once the service runs (or the service's own `Readiness`, which then answers);
   * until then the report says `starting`.
   */
  use(source: ReadinessChecks | Readiness): void {
    this.source = source;
  }

  async report(): Promise<ReadinessReport> {
    const checks = this.source;
    if (!checks) return { status: 'starting', checks: {} };
    if (checks instanceof Readiness) return checks.report();
    const states = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await this.run(name, check)] as const),
    );
    return {
      status: states.every(([, state]) => state === 'up') ? 'ready' : 'not-ready',
      checks: Object.fromEntries(states),
    };
  }

  private async run(name: string, check: ReadinessCheck): Promise<CheckState> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(check), deadline]);
      return this.note(name, 'up');
    } catch (error) {
      return this.note(name, 'down', error);
    } finally {
      clearTimeout(timer);
    }
  }

  private note(name: string, state: CheckState, error?: unknown): CheckState {
    const before = this.last.get(name);
    this.last.set(name, state);
    if (state === 'down' && before !== 'down')
      this.logger.warn({ msg: 'dependency down', dependency: name, error: String(error) });
    if (state === 'up' && before === 'down') this.logger.log({ msg: 'dependency up', dependency: name });
    return state;
  }
}
