import autocannon from 'autocannon';

/** What one bounded autocannon run measured. */
export interface HttpLoad {
  url: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers other than 2xx, and connection errors or timeouts: a valid run has none. */
  non2xx: number;
  errors: number;
  bodyBytes: number;
}

/** `autocannon` against one URL for `seconds`, `connections` at a time, each one request after another. */
export async function httpLoad(
  url: string,
  options: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<HttpLoad> {
  const result = await autocannon({
    url,
    duration: options.seconds,
    connections: options.connections,
    headers: options.headers ?? {},
  });
  const load = {
    url,
    requestsPerSecond: result.requests.total / (result.duration || options.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bodyBytes: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  };
  if (load.non2xx > 0 || load.errors > 0)
    throw new Error(`${url}: ${load.non2xx} non-2xx answers and ${load.errors} errors under load`);
  return load;
}
