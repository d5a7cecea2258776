import { permissions, type Permission } from './principal.ts';

const known: ReadonlySet<string> = new Set(permissions);

export function isPermission(value: string): value is Permission {
  return known.has(value);
}

/**
 * The permissions of a stored list that this version knows, in the canonical order and without
 * repeats; a permission a later version dropped grants nothing instead of failing the request.
 */
export function knownPermissions(values: Iterable<string>): Permission[] {
  const held = new Set(values);
  return permissions.filter((permission) => held.has(permission));
}
