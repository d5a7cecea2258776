/**
 * The clients of bench/api-under-scan.ts, in a process of their own so their work does not run on
 * the service's event loop: autocannon with N keep-alive connections, each going round a list of
 * API paths, for a fixed time, every response's latency kept for exact percentiles. Reads a
 * `MixRequest` as JSON from argv[2] and prints one `MixFigures` as JSON on stdout.
 */
import autocannon from 'autocannon';
import { quantile } from './api-load-client.ts';

export interface MixRequest {
  /** `http://host:port` */
  readonly url: string;
  readonly token: string;
  /** Paths on `url`, each client goes round them in order (each starts at a different one). */
  readonly paths: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
  readonly timeoutSeconds: number;
}

export interface MixFigures {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Milliseconds, over the 2xx responses. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** Status codes other than 2xx and how often they came. */
  readonly statuses: Readonly<Record<string, number>>;
}

export function runMix(request: MixRequest): Promise<MixFigures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        pipelining: 1,
        duration: request.durationSeconds,
        timeout: request.timeoutSeconds,
        headers: { authorization: `Bearer ${request.token}` },
        requests: request.paths.map((path) => ({ method: 'GET', path })),
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
          max: latencies.at(-1) ?? Number.NaN,
          non2xx: result.non2xx,
          errors: result.errors,
          statuses,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else statuses[String(statusCode)] = (statuses[String(statusCode)] ?? 0) + 1;
    });
  });
}

if (import.meta.main) {
  const argument = process.argv[2];
  if (argument === undefined) throw new Error('usage: service-load-client.ts <MixRequest as JSON>');
  const figures = await runMix(JSON.parse(argument) as MixRequest);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
