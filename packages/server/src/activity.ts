import type { RegistryType } from './store/schema.ts';

/** Why the dispatcher held a registry connection's scans back in a round. */
export const holdReasons = ['speed_limit', 'registry_paused', 'concurrency', 'window'] as const;
export type HoldReason = (typeof holdReasons)[number];

/**
 * What this process did that the database does not keep as state, counted from its start for the
 * metrics: image pulls the workers began, registries that answered 429, and how often the
 * dispatcher had to hold scans back (once per round, reason and registry connection, or task for
 * a closed time window, so the figure does not grow with the number of images waiting).
 */
export class ActivityCounters {
  readonly pulls = new Map<RegistryType, number>();
  readonly holds = new Map<HoldReason, number>();
  rateLimitedAnswers = 0;

  countPull(type: RegistryType): void {
    this.pulls.set(type, (this.pulls.get(type) ?? 0) + 1);
  }

  countHolds(reason: HoldReason, connections: number): void {
    if (connections > 0) this.holds.set(reason, (this.holds.get(reason) ?? 0) + connections);
  }

  countRateLimited(): void {
    this.rateLimitedAnswers += 1;
  }
}
