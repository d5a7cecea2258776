/**
 * Who is calling and what they may do: the permissions of PRODUCT.md section 6, the built-in roles
 * as sets of them, and the principal every API request is authorised as. The HTTP API declares one
 * permission per route and asks `can`; nothing else decides access.
 */

export const permissions = [
  'images:list',
  'images:get',
  'images:set',
  'containers:set',
  'registries:list',
  'registries:set',
  'policies:set',
  'results:handle',
  'billing:get',
  'iam:set',
] as const;
export type Permission = (typeof permissions)[number];

export const builtInRoles = ['admin', 'operator', 'viewer'] as const;
export type BuiltInRole = (typeof builtInRoles)[number];

/**
 * What each built-in role grants. An operator runs the scanning (registries, scans, policies,
 * handling) but manages neither people nor billing; a viewer reads everything but the bill.
 */
export const builtInRolePermissions: Readonly<Record<BuiltInRole, readonly Permission[]>> = {
  admin: permissions,
  operator: [
    'images:list',
    'images:get',
    'images:set',
    'containers:set',
    'registries:list',
    'registries:set',
    'policies:set',
    'results:handle',
  ],
  viewer: ['images:list', 'images:get', 'registries:list'],
};

export interface Principal {
  readonly userId: string;
  readonly userName: string;
  /** How the request proved who it is; cookie-authenticated writes must carry the CSRF token. */
  readonly via: 'session' | 'token';
  /** May create projects and manage users across the service (the first admin). */
  readonly serviceAdmin: boolean;
  /** The permissions held in each project, by project id (a token's subset already applied). */
  readonly projects: ReadonlyMap<string, ReadonlySet<Permission>>;
}

/** Whether `principal` holds `permission` in `projectId`; a project it holds no role in grants nothing. */
export function can(principal: Principal, projectId: string, permission: Permission): boolean {
  return principal.projects.get(projectId)?.has(permission) ?? false;
}

/** Whether `principal` holds any role in `projectId` (else the project is invisible: 404, not 403). */
export function seesProject(principal: Principal, projectId: string): boolean {
  return principal.projects.has(projectId);
}

/** One change, as the audit log records it (who and from where are added by the API). */
export interface AuditChange {
  /** null for changes outside any project (users, projects themselves). */
  readonly projectId: string | null;
  /** `<object type>.<verb>`, e.g. `registry.create`, `scan_task.stop`, `user.delete`. */
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  /** What changed, without secrets (credentials are never recorded). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditActor {
  readonly userId: string | null;
  readonly userName: string;
  /** The client's address as the API saw it. */
  readonly address: string;
}
