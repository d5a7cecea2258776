import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { ServiceError, notFound } from '../service-error.ts';
import type { Database } from '../store/schema.ts';

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly createdAt: Date;
}

export const defaultProjectName = 'default';

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Projects: the tenants every other object belongs to. */
export class ProjectService {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  async create(input: { readonly name: string; readonly timeZone?: string }): Promise<Project> {
    const name = input.name.trim();
    const timeZone = input.timeZone ?? 'UTC';
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(name))
      throw new ServiceError(
        'invalid_request',
        'a project name is 1–63 letters, digits, dots, dashes or underscores',
      );
    if (!validTimeZone(timeZone))
      throw new ServiceError('invalid_request', `unknown time zone ${timeZone}`, { field: 'timeZone' });
    const existing = await this.db
      .selectFrom('project')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing) throw new ServiceError('conflict', `project ${name} exists`);
    const project = { id: randomUUID(), name, timeZone, createdAt: this.clock.now() };
    await this.db.insertInto('project').values(project).execute();
    return project;
  }

  async get(id: string): Promise<Project> {
    const project = await this.db.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirst();
    if (!project) throw notFound('project', id);
    return project;
  }

  async byName(name: string): Promise<Project> {
    const project = await this.db
      .selectFrom('project')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!project) throw notFound('project', name);
    return project;
  }

  list(): Promise<Project[]> {
    return this.db.selectFrom('project').selectAll().orderBy('name').execute();
  }

  async setTimeZone(id: string, timeZone: string): Promise<void> {
    if (!validTimeZone(timeZone))
      throw new ServiceError('invalid_request', `unknown time zone ${timeZone}`, { field: 'timeZone' });
    const result = await this.db
      .updateTable('project')
      .set({ timeZone })
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound('project', id);
  }

  /** The project a fresh service starts with, so one machine works without any setup. */
  async ensureDefault(): Promise<Project> {
    const existing = await this.db
      .selectFrom('project')
      .selectAll()
      .where('name', '=', defaultProjectName)
      .executeTakeFirst();
    return existing ?? this.create({ name: defaultProjectName });
  }
}
