import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { holdReasons } from '../activity.ts';
import { scanQueues } from '../queue/job-queue.ts';
import type { DrydockService } from '../service.ts';
import { registryTypes, scanTaskTypes, taskImageStatuses } from '../store/schema.ts';

/**
 * The Prometheus metrics of one API instance, in its own registry (never prom-client's global
 * one, so two instances in one process do not share counters):
 * - `drydock_http_request_duration_seconds{route,method,status}`: latency by route template;
 * - `drydock_scan_queue_depth{queue,state}`: image scans `waiting` for the dispatcher and
 *   `dispatched` to the job queue, per queue;
 * - `drydock_scan_task_images{status}`: image scans of all tasks by status;
 * - `drydock_registry_paused_connections`: connections paused after a registry's 429;
 * - `drydock_vulnerability_database_age_seconds`: since the database in use was built (absent
 *   when this process has none);
 * - `drydock_registry_pulls_total{registry_type}`, `drydock_registry_rate_limited_total` and
 *   `drydock_dispatch_holds_total{reason}` (speed limit, registry paused, concurrency, window):
 *   what this process did since it started (activity.ts);
 * - the process metrics of prom-client, prefixed `drydock_`.
 * The gauges are read from the database at scrape time; a failing read leaves its gauge empty
 * rather than failing the scrape. Labels never hold project ids, names or user data.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly #duration: Histogram<'route' | 'method' | 'status'>;

  constructor(service: DrydockService) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'drydock_' });
    this.#duration = new Histogram({
      name: 'drydock_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'drydock_scan_queue_depth',
      help: 'Image scans waiting for the dispatcher or dispatched to the job queue, per queue',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        const rows = await service.db
          .selectFrom('scanTaskImage')
          .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
          .select((eb) => ['scanTask.type', 'scanTaskImage.status', eb.fn.countAll<number>().as('n')])
          .where('scanTaskImage.status', 'in', ['queued', 'dispatched'])
          .groupBy(['scanTask.type', 'scanTaskImage.status'])
          .execute()
          .catch(() => undefined);
        if (!rows) return;
        for (const type of scanTaskTypes) {
          for (const state of ['waiting', 'dispatched'] as const)
            this.set({ queue: scanQueues[type], state }, 0);
        }
        for (const row of rows)
          this.set(
            { queue: scanQueues[row.type], state: row.status === 'queued' ? 'waiting' : 'dispatched' },
            Number(row.n),
          );
      },
    });
    new Gauge({
      name: 'drydock_scan_task_images',
      help: 'Image scans of all scan tasks by status',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        const rows = await service.db
          .selectFrom('scanTaskImage')
          .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute()
          .catch(() => undefined);
        if (!rows) return;
        for (const status of taskImageStatuses) this.set({ status }, 0);
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
    new Gauge({
      name: 'drydock_registry_paused_connections',
      help: 'Registry connections paused after a 429 Too Many Requests',
      registers,
      async collect() {
        this.reset();
        const row = await service.db
          .selectFrom('registryPause')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('pausedUntil', '>', service.clock.now())
          .executeTakeFirst()
          .catch(() => undefined);
        if (row) this.set(Number(row.n));
      },
    });
    new Gauge({
      name: 'drydock_vulnerability_database_age_seconds',
      help: 'Seconds since the vulnerability database in use was built',
      registers,
      collect() {
        this.reset();
        const builtAt = service.vulnerabilityDatabase.database?.status().builtAt;
        const built = builtAt === undefined ? Number.NaN : Date.parse(builtAt);
        if (!Number.isNaN(built)) this.set(Math.max(0, (service.clock.now().getTime() - built) / 1000));
      },
    });
    const { activity } = service;
    new Counter({
      name: 'drydock_registry_pulls_total',
      help: 'Image pulls the scan workers of this process began, by registry type',
      labelNames: ['registry_type'],
      registers,
      collect() {
        this.reset();
        for (const type of registryTypes) this.inc({ registry_type: type }, activity.pulls.get(type) ?? 0);
      },
    });
    new Counter({
      name: 'drydock_registry_rate_limited_total',
      help: 'Scans that met a registry answering 429 Too Many Requests (the registry is then paused)',
      registers,
      collect() {
        this.reset();
        this.inc(activity.rateLimitedAnswers);
      },
    });
    new Counter({
      name: 'drydock_dispatch_holds_total',
      help: 'Dispatch rounds that held scans back, per registry connection (task for a window) and reason',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const reason of holdReasons) this.inc({ reason }, activity.holds.get(reason) ?? 0);
      },
    });
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    this.#duration.observe({ route, method, status: String(status) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
