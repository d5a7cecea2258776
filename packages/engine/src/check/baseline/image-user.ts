import type { BaselineCheckResult } from './check-result.ts';

/** `root` or UID 0, as the user part of `USER user[:group]`. */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === 'root' || /^0+$/.test(name);
}

/**
 * CIS Docker Benchmark 1.6.0 §4.1: the image names a non-root user. An unset or empty USER runs the
 * container as root, as do `root` and UID 0 whatever the group (`0:0`, `root:root`, `0:1000`). A name
 * that /etc/passwd maps to UID 0 is the accounts checks' business (UID 0 besides root).
 */
export function nonRootUserCheck(user: string | undefined): BaselineCheckResult {
  const written = user?.trim() ?? '';
  const runsAsRoot = written === '' || isRootUser(written);
  return {
    id: 'cis-4.1-non-root-user',
    title: 'Image runs as a non-root user',
    area: 'image-config',
    severity: 'high',
    standard: 'CIS Docker Benchmark 1.6.0 §4.1',
    result: runsAsRoot ? 'fail' : 'pass',
    current: written === '' ? 'USER unset (runs as root)' : `USER ${written}`,
    suggested: 'a non-root USER (a name or UID other than root and 0)',
    remediation:
      'Create an unprivileged user in the Dockerfile (useradd or adduser) and switch to it with USER before the final CMD or ENTRYPOINT.',
    evidence: runsAsRoot
      ? [{ location: 'config:user', detail: written === '' ? 'USER unset' : `USER ${written}` }]
      : [],
  };
}
