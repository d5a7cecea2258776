import { createServer, type Server } from 'node:http';
import type { DrydockService } from '@drydock/server';

/**
 * The probes of a `drydock worker`, which has no API: `/healthz` answers while the process runs;
 * `/readyz` answers 200 once the worker has opened the database (and taken the service's
 * vulnerability database) and while the database answers, else 503 with the reason.
 */
export class WorkerHealth {
  #service: DrydockService | undefined;
  readonly #server: Server = createServer((request, response) => {
    void this.answer(request.method ?? 'GET', request.url ?? '/').then(({ status, body }) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    });
  });

  static async listen(host: string, port: number): Promise<WorkerHealth> {
    const health = new WorkerHealth();
    await new Promise<void>((resolve, reject) => {
      health.#server.once('error', reject);
      health.#server.listen(port, host, () => resolve());
    });
    return health;
  }

  /** The service the readiness probe asks, once it has opened. */
  serve(service: DrydockService): void {
    this.#service = service;
  }

  async answer(
    method: string,
    url: string,
  ): Promise<{ readonly status: number; readonly body: Readonly<Record<string, string>> }> {
    const path = url.split('?')[0];
    if (method !== 'GET' && method !== 'HEAD') return { status: 405, body: { code: 'method_not_allowed' } };
    if (path === '/healthz') return { status: 200, body: { status: 'ok' } };
    if (path !== '/readyz') return { status: 404, body: { code: 'not_found' } };
    const service = this.#service;
    if (!service) return { status: 503, body: { status: 'not_ready', reason: 'starting' } };
    const readiness = await service.readiness();
    return readiness.ready
      ? { status: 200, body: { status: 'ready' } }
      : { status: 503, body: { status: 'not_ready', reason: readiness.reason } };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
