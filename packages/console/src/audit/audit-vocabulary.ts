/**
 * The actions and object types the service records (its routes name them; server
 * api/routes/*.ts), offered as suggestions in the audit log's filters. The filters take any text:
 * an action the service adds later is still found by typing it.
 */
export const knownAuditActions = [
  'export.create',
  'member.remove',
  'member.set',
  'policy.delete',
  'policy.set',
  'project.create',
  'project.update',
  'registry.create',
  'registry.delete',
  'registry.update',
  'role.create',
  'role.delete',
  'role.update',
  'scan_settings.update',
  'scan_task.start',
  'scan_task.stop',
  'secret_ignore.create',
  'secret_ignore.delete',
  'session.login',
  'session.login_failed',
  'sync_task.start',
  'token.create',
  'token.revoke',
  'user.create',
  'user.delete',
  'user.password',
  'user.update',
  'vulnerability.allowlist',
  'vulnerability.ignore',
  'vulnerability.repaired',
  'vulnerability.unallowlist',
  'vulnerability.unignore',
] as const;

export const knownAuditObjectTypes = [
  'api_token',
  'export',
  'project',
  'registry',
  'role',
  'scan_policy',
  'scan_settings',
  'scan_task',
  'secret_ignore',
  'sync_task',
  'user',
  'vulnerability',
] as const;
