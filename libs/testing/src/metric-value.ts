/** What a prom-client metric offers for reading it back; duck-typed so this lib needs no prom-client. */
export interface ReadableMetric {
  get(): Promise<{ values: { value: number; labels: object }[] }>;
}

/** The current value of `metric` for exactly `labels` (0 when that series has no sample yet). */
export async function metricValue(metric: ReadableMetric, labels: object = {}): Promise<number> {
  const key = JSON.stringify(labels);
  return (await metric.get()).values.find((sample) => JSON.stringify(sample.labels) === key)?.value ?? 0;
}
