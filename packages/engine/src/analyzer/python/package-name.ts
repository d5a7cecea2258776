/**
 * The normalised form of a Python project name (PEP 503, https://peps.python.org/pep-0503/#normalized-names):
 * lower case, runs of `-`, `_` and `.` collapsed to one `-`. PURLs of type pypi use it.
 */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * A valid project name (https://packaging.python.org/en/latest/specifications/name-normalization/):
 * ASCII letters and digits, with `.`, `_` and `-` inside.
 */
export function isValidProjectName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}
