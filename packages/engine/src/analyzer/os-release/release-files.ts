import type { OsFamily, OsRelease } from '../fact.ts';

/**
 * Distribution release files that predate or stand beside os-release, each a single line such as
 * "CentOS Linux release 7.9.2009 (Core)" or "Alpine 3.18.4" (alpine-release holds only the version).
 */
export const releaseFiles: Readonly<
  Record<string, { readonly id: string; readonly family: OsFamily; readonly name: string }>
> = {
  'etc/centos-release': { id: 'centos', family: 'centos', name: 'CentOS Linux' },
  'etc/almalinux-release': { id: 'almalinux', family: 'almalinux', name: 'AlmaLinux' },
  'etc/rocky-release': { id: 'rocky', family: 'rocky', name: 'Rocky Linux' },
  'etc/fedora-release': { id: 'fedora', family: 'fedora', name: 'Fedora Linux' },
  'etc/oracle-release': { id: 'ol', family: 'oracle', name: 'Oracle Linux' },
  'etc/redhat-release': { id: 'rhel', family: 'redhat', name: 'Red Hat Enterprise Linux' },
  'etc/system-release': { id: 'amzn', family: 'amazon', name: 'Amazon Linux' },
  'etc/SuSE-release': { id: 'sles', family: 'suse', name: 'SUSE Linux Enterprise Server' },
};

const versionPattern = /release\s+(\d+(?:\.\d+)*)/i;

/** Reads a `*-release` line; for redhat-release the text decides which RHEL rebuild it is. */
export function parseReleaseLine(path: string, text: string): OsRelease | undefined {
  const known = releaseFiles[path];
  const line = text.split('\n')[0]?.trim() ?? '';
  if (!known || line === '') return undefined;
  const version = versionPattern.exec(line)?.[1] ?? /(\d+(?:\.\d+)*)/.exec(line)?.[1];
  let { id, family, name } = known;
  if (path === 'etc/redhat-release' || path === 'etc/system-release') {
    const lower = line.toLowerCase();
    if (lower.startsWith('centos')) ({ id, family, name } = releaseFiles['etc/centos-release'] ?? known);
    else if (lower.startsWith('almalinux'))
      ({ id, family, name } = releaseFiles['etc/almalinux-release'] ?? known);
    else if (lower.startsWith('rocky')) ({ id, family, name } = releaseFiles['etc/rocky-release'] ?? known);
    else if (lower.startsWith('fedora')) ({ id, family, name } = releaseFiles['etc/fedora-release'] ?? known);
    else if (lower.startsWith('oracle')) ({ id, family, name } = releaseFiles['etc/oracle-release'] ?? known);
    else if (lower.startsWith('amazon'))
      ({ id, family, name } = { id: 'amzn', family: 'amazon', name: 'Amazon Linux' });
    else if (lower.startsWith('red hat'))
      ({ id, family, name } = { id: 'rhel', family: 'redhat', name: 'Red Hat Enterprise Linux' });
  }
  return { family, id, name, versionId: version, versionCodename: undefined, prettyName: line, idLike: [] };
}
