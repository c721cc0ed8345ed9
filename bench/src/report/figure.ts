import { summarize } from '../stats.js';

/** One line of BENCHMARKS.md: a Hostlink figure, the baseline measured beside it, and the target. */
export interface Figure {
  readonly label: string;
  readonly unit: string;
  /** Median and spread of the runs (n = 1 where the suite measures once). */
  readonly value: { p50: number; min: number; max: number; n: number };
  readonly baseline?: { label: string; value: number };
  /** Hostlink's median over the baseline's. */
  readonly ratio?: number;
  readonly target?: { text: string; met: boolean };
}

/** A figure from its samples; `baseline` and `target` are optional. */
export function figure(options: {
  label: string;
  unit: string;
  samples: readonly number[];
  baseline?: { label: string; value: number };
  target?: { text: string; met: (figure: { p50: number; max: number; ratio: number }) => boolean };
}): Figure {
  const value =
    options.samples.length > 0 ? summarize(options.samples) : { p50: NaN, min: NaN, max: NaN, n: 0 };
  const ratio = options.baseline ? value.p50 / options.baseline.value : NaN;
  const met = options.target?.met({ p50: value.p50, max: value.max, ratio }) ?? false;
  return {
    label: options.label,
    unit: options.unit,
    value: { p50: value.p50, min: value.min, max: value.max, n: value.n },
    ...(options.baseline ? { baseline: options.baseline, ratio } : {}),
    ...(options.target ? { target: { text: options.target.text, met } } : {}),
  };
}
