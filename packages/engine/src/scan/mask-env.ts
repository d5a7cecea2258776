const sensitiveName =
  /pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth/i;

/**
 * Masks the value of environment variables whose names say they hold a credential, keeping a
 * short prefix so a reader can still recognise the value. Findings of the secret scanner mask
 * their own matches; this keeps the plain configuration listing from leaking them.
 */
export function maskEnvironment(env: readonly string[]): string[] {
  return env.map((entry) => {
    const equals = entry.indexOf('=');
    if (equals < 0) return entry;
    const name = entry.slice(0, equals);
    const value = entry.slice(equals + 1);
    if (!sensitiveName.test(name) || value === '') return entry;
    return `${name}=${maskValue(value)}`;
  });
}

export function maskValue(value: string): string {
  const keep = value.length >= 12 ? 3 : 0;
  return value.slice(0, keep) + '*'.repeat(Math.min(Math.max(value.length - keep, 4), 16));
}
