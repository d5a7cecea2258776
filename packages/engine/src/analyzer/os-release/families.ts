import type { OsFamily } from '../fact.ts';

/** os-release `ID` values and the family Drydock files them under (advisories are per family). */
const familyById: Readonly<Record<string, OsFamily>> = {
  alpine: 'alpine',
  debian: 'debian',
  ubuntu: 'ubuntu',
  rhel: 'redhat',
  redhat: 'redhat',
  centos: 'centos',
  almalinux: 'almalinux',
  rocky: 'rocky',
  fedora: 'fedora',
  amzn: 'amazon',
  ol: 'oracle',
  sles: 'suse',
  sled: 'suse',
  'sle-micro': 'suse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  opensuse: 'opensuse',
  photon: 'photon',
  mariner: 'mariner',
  azurelinux: 'azurelinux',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  openEuler: 'openeuler',
  openeuler: 'openeuler',
};

export function familyOf(id: string, idLike: readonly string[]): OsFamily {
  const direct = familyById[id];
  if (direct) return direct;
  for (const like of idLike) {
    const family = familyById[like];
    if (family) return family;
  }
  return 'unknown';
}
