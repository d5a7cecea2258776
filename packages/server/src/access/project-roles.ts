import { randomUUID } from 'node:crypto';
import type { JoinBuilder, Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { ServiceError, notFound, parseRequest } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type { CustomRoleTable, Database } from '../store/schema.ts';
import { knownPermissions } from './permission-set.ts';
import {
  builtInRolePermissions,
  builtInRoles,
  permissions,
  type BuiltInRole,
  type Permission,
} from './principal.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** A role a project offers: a built-in one (its id is its name) or one of the project's own. */
export interface Role {
  /** The built-in role's name, or the custom role's id. */
  readonly id: string;
  readonly name: string;
  readonly builtIn: boolean;
  readonly permissions: readonly Permission[];
}

/** A user's role in a project. */
export interface Member {
  readonly projectId: string;
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string;
  /** The role's id: a built-in role name or a custom role id. */
  readonly role: string;
  readonly roleName: string;
  readonly permissions: readonly Permission[];
}

/** The permissions a user holds in one project through its role. */
export interface ProjectGrant {
  readonly projectId: string;
  readonly permissions: readonly Permission[];
}

/** A user, with the grants of their role bindings. */
export interface GrantHolder {
  readonly user: {
    readonly id: string;
    readonly name: string;
    readonly serviceAdmin: boolean;
    readonly disabled: boolean;
  };
  readonly grants: readonly ProjectGrant[];
}

const roleName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/,
    'a role name is 1–63 letters, digits, spaces, dots, dashes or underscores',
  )
  .refine((name) => !isBuiltInRole(name.toLowerCase()), 'the built-in role names are taken');
const permissionList = z.array(z.enum(permissions)).min(1);

export const roleInputSchema = z.object({ name: roleName, permissions: permissionList });
export type RoleInput = z.input<typeof roleInputSchema>;
export const roleUpdateSchema = z.object({
  name: roleName.optional(),
  permissions: permissionList.optional(),
});
export type RoleUpdate = z.input<typeof roleUpdateSchema>;

function isBuiltInRole(role: string): role is BuiltInRole {
  return (builtInRoles as readonly string[]).includes(role);
}

function builtInRole(name: BuiltInRole): Role {
  return { id: name, name, builtIn: true, permissions: builtInRolePermissions[name] };
}

function customRole(row: Pick<Selectable<CustomRoleTable>, 'id' | 'name' | 'permissions'>): Role {
  return { id: row.id, name: row.name, builtIn: false, permissions: knownPermissions(row.permissions) };
}

/**
 * Roles per project (PRODUCT.md section 6): the built-in `admin`, `operator` and `viewer`, the
 * project's custom roles, and which role each member holds (one per user and project).
 */
export class ProjectRoles {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The built-in roles, then the project's own by name. */
  async listRoles(projectId: string): Promise<Role[]> {
    await this.#requireProject(projectId);
    const rows = await this.db
      .selectFrom('customRole')
      .select(['id', 'name', 'permissions'])
      .where('projectId', '=', projectId)
      .orderBy('name')
      .execute();
    return [...builtInRoles.map(builtInRole), ...rows.map(customRole)];
  }

  async createRole(projectId: string, input: unknown): Promise<Role> {
    const data = parseRequest(roleInputSchema, input, 'role');
    await this.#requireProject(projectId);
    const now = this.clock.now();
    const row = {
      id: randomUUID(),
      projectId,
      name: data.name,
      permissions: toJson<readonly string[]>(knownPermissions(data.permissions)),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.insertInto('customRole').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw roleExists(data.name);
      throw error;
    }
    return { id: row.id, name: row.name, builtIn: false, permissions: knownPermissions(data.permissions) };
  }

  /** Renames a custom role or changes its permissions; its members hold the new set at once. */
  async updateRole(projectId: string, roleId: string, input: unknown): Promise<Role> {
    const data = parseRequest(roleUpdateSchema, input, 'role update');
    if (isBuiltInRole(roleId)) throw builtInUnchangeable(roleId);
    try {
      const row = await this.db
        .updateTable('customRole')
        .set({
          updatedAt: this.clock.now(),
          ...(data.name === undefined ? {} : { name: data.name }),
          ...(data.permissions === undefined
            ? {}
            : { permissions: toJson<readonly string[]>(knownPermissions(data.permissions)) }),
        })
        .where('projectId', '=', projectId)
        .where('id', '=', roleId)
        .returning(['id', 'name', 'permissions'])
        .executeTakeFirst();
      if (!row) throw notFound('role', roleId);
      return customRole(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw roleExists(data.name ?? roleId);
      throw error;
    }
  }

  /** Deletes a custom role; refused (`conflict`) while members hold it. */
  async deleteRole(projectId: string, roleId: string): Promise<void> {
    if (isBuiltInRole(roleId)) throw builtInUnchangeable(roleId);
    await this.db.transaction().execute(async (trx) => {
      const role = await trx
        .selectFrom('customRole')
        .select('id')
        .where('projectId', '=', projectId)
        .where('id', '=', roleId)
        .forUpdate()
        .executeTakeFirst();
      if (!role) throw notFound('role', roleId);
      const bound = await trx
        .selectFrom('roleBinding')
        .select((eb) => eb.fn.countAll<number>().as('members'))
        .where('projectId', '=', projectId)
        .where('role', '=', roleId)
        .executeTakeFirstOrThrow();
      if (Number(bound.members) > 0)
        throw new ServiceError('conflict', 'the role is held by members; give them another role first', {
          roleId,
          members: Number(bound.members),
        });
      await trx.deleteFrom('customRole').where('id', '=', roleId).execute();
    });
  }

  /**
   * Gives a user a role in the project, replacing the one it held. `role` is a built-in role name,
   * or a custom role's id or name.
   */
  async setMember(projectId: string, userId: string, role: string): Promise<Member> {
    await this.#requireProject(projectId);
    const user = await this.db.selectFrom('appUser').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('user', userId);
    const resolved = await this.#resolveRole(projectId, role);
    // The custom role is locked against a concurrent delete, which checks the bindings under the same lock.
    await this.db.transaction().execute(async (trx) => {
      if (!resolved.builtIn) {
        const still = await trx
          .selectFrom('customRole')
          .select('id')
          .where('id', '=', resolved.id)
          .forShare()
          .executeTakeFirst();
        if (!still) throw unknownRole(role);
      }
      await trx
        .insertInto('roleBinding')
        .values({ projectId, userId, role: resolved.id, createdAt: this.clock.now() })
        .onConflict((oc) => oc.columns(['projectId', 'userId']).doUpdateSet({ role: resolved.id }))
        .execute();
    });
    const member = (await this.listMembers(projectId)).find((entry) => entry.userId === userId);
    if (!member) throw notFound('member', userId);
    return member;
  }

  async removeMember(projectId: string, userId: string): Promise<void> {
    const result = await this.db
      .deleteFrom('roleBinding')
      .where('projectId', '=', projectId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound('member', userId);
  }

  /** The project's members by user name. */
  async listMembers(projectId: string): Promise<Member[]> {
    await this.#requireProject(projectId);
    const rows = await this.db
      .selectFrom('roleBinding')
      .innerJoin('appUser', 'appUser.id', 'roleBinding.userId')
      .leftJoin('customRole', bindingRole)
      .select([
        'roleBinding.userId',
        'roleBinding.role',
        'appUser.name as userName',
        'appUser.displayName',
        'customRole.name as customName',
        'customRole.permissions as customPermissions',
      ])
      .where('roleBinding.projectId', '=', projectId)
      .orderBy('appUser.name')
      .execute();
    return rows.map((row) => ({
      projectId,
      userId: row.userId,
      userName: row.userName,
      displayName: row.displayName,
      role: row.role,
      roleName: row.customName ?? row.role,
      permissions: roleGrants(row.role, row.customPermissions),
    }));
  }

  /** The user and what their roles grant, project by project; undefined for an unknown user. */
  async holderOf(userId: string): Promise<GrantHolder | undefined> {
    return holderFromRows(await grantHolderRows(this.db).where('appUser.id', '=', userId).execute());
  }

  async #resolveRole(projectId: string, role: string): Promise<Role> {
    if (isBuiltInRole(role)) return builtInRole(role);
    const rows = await this.db
      .selectFrom('customRole')
      .select(['id', 'name', 'permissions'])
      .where('projectId', '=', projectId)
      .where((eb) => eb.or([eb('id', '=', role), eb(eb.fn('lower', ['name']), '=', role.toLowerCase())]))
      .execute();
    // An id wins over another role's equal name.
    const row = rows.find((entry) => entry.id === role) ?? rows[0];
    if (!row) throw unknownRole(role);
    return customRole(row);
  }

  async #requireProject(projectId: string): Promise<void> {
    const project = await this.db
      .selectFrom('project')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw notFound('project', projectId);
  }
}

/** The custom role a binding names, if its role is one of its project's custom roles. */
function bindingRole(join: JoinBuilder<Database, 'roleBinding' | 'customRole'>) {
  return join
    .onRef('customRole.id', '=', 'roleBinding.role')
    .onRef('customRole.projectId', '=', 'roleBinding.projectId');
}

/**
 * A user's row once per role binding (once with nulls when there is none), with the custom role's
 * permissions: the user and their grants in one statement, which every authenticated request
 * needs (api-tokens.ts joins the token to it).
 */
export function grantHolderRows(db: Kysely<Database>) {
  return db
    .selectFrom('appUser')
    .leftJoin('roleBinding', 'roleBinding.userId', 'appUser.id')
    .leftJoin('customRole', bindingRole)
    .select([
      'appUser.id as holderId',
      'appUser.name as holderName',
      'appUser.serviceAdmin as holderServiceAdmin',
      'appUser.disabled as holderDisabled',
      'roleBinding.projectId as grantProjectId',
      'roleBinding.role as grantRole',
      'customRole.permissions as grantCustomPermissions',
    ]);
}

type GrantHolderRow = Awaited<ReturnType<ReturnType<typeof grantHolderRows>['execute']>>[number];

/** The holder the rows of `grantHolderRows` describe; undefined when there are none. */
export function holderFromRows(rows: readonly GrantHolderRow[]): GrantHolder | undefined {
  const [first] = rows;
  if (!first) return undefined;
  const grants: ProjectGrant[] = [];
  for (const row of rows)
    if (row.grantProjectId !== null && row.grantRole !== null)
      grants.push({
        projectId: row.grantProjectId,
        permissions: roleGrants(row.grantRole, row.grantCustomPermissions),
      });
  return {
    user: {
      id: first.holderId,
      name: first.holderName,
      serviceAdmin: first.holderServiceAdmin,
      disabled: first.holderDisabled,
    },
    grants,
  };
}

/** A binding's permissions: its built-in role's, its custom role's, or none if that role is gone. */
function roleGrants(role: string, customPermissions: readonly string[] | null): readonly Permission[] {
  if (isBuiltInRole(role)) return builtInRolePermissions[role];
  return customPermissions === null ? [] : knownPermissions(customPermissions);
}

function roleExists(name: string): ServiceError {
  return new ServiceError('conflict', `role ${name} exists in this project`, { name });
}

function builtInUnchangeable(role: string): ServiceError {
  return new ServiceError('invalid_request', `the built-in role ${role} cannot be changed or deleted`, {
    role,
  });
}

function unknownRole(role: string): ServiceError {
  return new ServiceError('invalid_request', `unknown role ${role}`, {
    issues: [{ path: 'role', message: 'a built-in role name, or a custom role of this project' }],
  });
}
