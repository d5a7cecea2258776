/**
 * The permissions of PRODUCT.md section 6, as the API names them (server access/principal.ts;
 * test/console checks the list against the OpenAPI document), with what each lets a user do, for
 * the reasons the console shows on what it disables.
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

export const permissionPurpose: Readonly<Record<Permission, string>> = {
  'images:list': 'list images and tasks',
  'images:get': 'read scan reports',
  'images:set': 'start and stop scans',
  'containers:set': 'stop scans',
  'registries:list': 'see registries and syncs',
  'registries:set': 'manage registries and sync images',
  'policies:set': 'change the scheduled scan policy',
  'results:handle': 'handle findings',
  'billing:get': 'see usage and cost',
  'iam:set': 'manage members, roles and the audit log',
};
