/** `GET /vulnerability-database`: the database this service scans with (server api/routes/vulnerability-database-routes.ts). */
export interface VulnerabilityDatabaseStatus {
  /** False when the service holds none (a process without scan workers). */
  readonly available: boolean;
  readonly builtAt?: string;
  /** Seconds since it was built. */
  readonly ageSeconds?: number;
  readonly records?: number;
}
