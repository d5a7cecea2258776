/** A project, the tenant (server api/routes/project-routes.ts). */
export interface Project {
  readonly id: string;
  readonly name: string;
  /** IANA time zone: scheduled windows and daily syncs are read in it. */
  readonly timeZone: string;
  readonly createdAt: string;
}
