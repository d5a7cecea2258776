/**
 * The load side of the API benchmark (bench/api-load.ts), in a process of its own so the clients'
 * work does not run on the server's event loop: autocannon with N keep-alive connections against
 * one URL for a fixed time, every response's latency kept, so the percentiles are exact (autocannon's
 * own summary has p97.5, not p95). Reads a `LoadRequest` as JSON from argv[2] and prints one
 * `LoadFigures` as JSON on stdout.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  readonly url: string;
  readonly token: string;
  /** Concurrent clients, each with one keep-alive connection and one request in flight. */
  readonly connections: number;
  readonly durationSeconds: number;
  /** A response slower than this counts as a timeout (an error), not as a latency. */
  readonly timeoutSeconds: number;
}

export interface LoadFigures {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Milliseconds, over the 2xx responses. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Responses other than 2xx. */
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly bytesPerResponse: number;
}

/** The value at quantile `q` of sorted `values` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function runLoad(request: LoadRequest): Promise<LoadFigures> {
  const latencies: number[] = [];
  let bytes = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        pipelining: 1,
        duration: request.durationSeconds,
        timeout: request.timeoutSeconds,
        headers: { authorization: `Bearer ${request.token}` },
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        latencies.sort((a, b) => a - b);
        resolve({
          requests: latencies.length,
          requestsPerSecond: latencies.length / result.duration,
          p50: quantile(latencies, 0.5),
          p95: quantile(latencies, 0.95),
          p99: quantile(latencies, 0.99),
          max: latencies[latencies.length - 1] ?? Number.NaN,
          non2xx: result.non2xx,
          errors: result.errors,
          bytesPerResponse: latencies.length === 0 ? 0 : bytes / latencies.length,
        });
      },
    );
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) return;
      latencies.push(responseTime);
      bytes += resBytes;
    });
  });
}

if (import.meta.main) {
  const argument = process.argv[2];
  if (argument === undefined) throw new Error('usage: api-load-client.ts <LoadRequest as JSON>');
  const figures = await runLoad(JSON.parse(argument) as LoadRequest);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
