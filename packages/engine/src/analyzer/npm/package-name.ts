/**
 * npm package names: `name` or `@scope/name`, at most 214 characters, URL-safe, not starting with
 * `.` or `_` (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#name and
 * https://github.com/npm/validate-npm-package-name). Upper case is accepted: old packages have it.
 */
export function isValidPackageName(name: string): boolean {
  if (name.length === 0 || name.length > 214 || name.trim() !== name) return false;
  const { namespace, name: bare } = splitScope(name);
  if (namespace !== undefined && !isUrlSafePart(namespace.slice(1))) return false;
  return isUrlSafePart(bare);
}

function isUrlSafePart(part: string): boolean {
  return part !== '' && !part.startsWith('.') && !part.startsWith('_') && encodeURIComponent(part) === part;
}

/** `@scope/name` → namespace `@scope` and name `name` (the purl parts); an unscoped name has no namespace. */
export function splitScope(name: string): { readonly namespace: string | undefined; readonly name: string } {
  if (!name.startsWith('@')) return { namespace: undefined, name };
  const slash = name.indexOf('/');
  if (slash < 0) return { namespace: undefined, name };
  return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
}

/**
 * Splits a dependency descriptor `name@range` (`@scope/name@^1.2.0`, `lodash@npm:4.17.21`,
 * `foo@git+ssh://git@github.com:x/y#sha`) at the `@` that ends the name. A descriptor without a
 * range (`balanced-match`) is all name.
 */
export function splitDescriptor(descriptor: string): { readonly name: string; readonly range: string } {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  if (at <= 0) return { name: descriptor, range: '' };
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/**
 * The real package behind an npm alias range (`npm:string-width@^4.2.0` installs `string-width`),
 * or `undefined` when the range is not an alias to another name.
 */
export function aliasTarget(range: string): { readonly name: string; readonly range: string } | undefined {
  if (!range.startsWith('npm:')) return undefined;
  const target = splitDescriptor(range.slice('npm:'.length));
  // `npm:^1.2.0` and `npm:1.2.3` are plain ranges in yarn berry, not aliases.
  if (target.range === '' || !isValidPackageName(target.name)) return undefined;
  return target;
}
