/**
 * End-of-life dates Drydock ships: the day after which a release gets no more security fixes from
 * its free, public channel. Compiled on 2026-11-27; sources and what each date means per product
 * are in README.md beside this file. A release not listed here is not judged.
 */
export interface EndOfLifeRelease {
  /** The release cycle as the product names it: `12`, `22.04`, `3.18`, `15.5`, `1.22`, `8.0`. */
  readonly cycle: string;
  /** The last supported day, ISO 8601 (`YYYY-MM-DD`). */
  readonly eol: string;
}

export type EndOfLifeProductId =
  | 'debian'
  | 'ubuntu'
  | 'alpine'
  | 'rhel'
  | 'almalinux'
  | 'rocky'
  | 'centos'
  | 'centos-stream'
  | 'amazon-linux'
  | 'sles'
  | 'opensuse-leap'
  | 'fedora'
  | 'nodejs'
  | 'python'
  | 'ruby'
  | 'go'
  | 'java'
  | 'php'
  | 'dotnet';

export interface EndOfLifeProduct {
  readonly name: string;
  readonly kind: 'os' | 'runtime';
  readonly releases: readonly EndOfLifeRelease[];
}

const cycles = (entries: Readonly<Record<string, string>>): EndOfLifeRelease[] =>
  Object.entries(entries).map(([cycle, eol]) => ({ cycle, eol }));

export const endOfLifeTable: Readonly<Record<EndOfLifeProductId, EndOfLifeProduct>> = {
  // End of Debian LTS (security updates in the public archive), not the earlier end of the
  // security team's support.
  debian: {
    name: 'Debian',
    kind: 'os',
    releases: cycles({
      '6': '2016-02-29',
      '7': '2018-05-31',
      '8': '2020-06-30',
      '9': '2022-06-30',
      '10': '2024-06-30',
      '11': '2026-08-31',
      '12': '2028-06-30',
      '13': '2030-06-30',
    }),
  },
  // End of standard support; Expanded Security Maintenance needs an Ubuntu Pro subscription.
  ubuntu: {
    name: 'Ubuntu',
    kind: 'os',
    releases: cycles({
      '14.04': '2019-04-02',
      '16.04': '2021-04-02',
      '18.04': '2023-05-31',
      '18.10': '2019-07-18',
      '19.04': '2020-01-23',
      '19.10': '2020-07-06',
      '20.04': '2025-05-31',
      '20.10': '2021-07-22',
      '21.04': '2022-01-20',
      '21.10': '2022-07-14',
      '22.04': '2027-04-01',
      '22.10': '2023-07-20',
      '23.04': '2024-01-20',
      '23.10': '2024-07-12',
      '24.04': '2029-05-31',
      '24.10': '2025-07-10',
      '25.04': '2026-01-17',
      '25.10': '2026-07-01',
      '26.04': '2031-04-30',
    }),
  },
  alpine: {
    name: 'Alpine Linux',
    kind: 'os',
    releases: cycles({
      '3.9': '2020-11-01',
      '3.10': '2021-05-01',
      '3.11': '2021-11-01',
      '3.12': '2022-05-01',
      '3.13': '2022-11-01',
      '3.14': '2023-05-01',
      '3.15': '2023-11-01',
      '3.16': '2024-05-23',
      '3.17': '2024-11-22',
      '3.18': '2025-05-09',
      '3.19': '2025-11-01',
      '3.20': '2026-04-01',
      '3.21': '2026-11-01',
      '3.22': '2027-05-01',
      '3.23': '2027-11-01',
    }),
  },
  // End of maintenance support; Extended Life Cycle Support is a paid add-on.
  rhel: {
    name: 'Red Hat Enterprise Linux',
    kind: 'os',
    releases: cycles({
      '5': '2017-03-31',
      '6': '2020-11-30',
      '7': '2024-06-30',
      '8': '2029-05-31',
      '9': '2032-05-31',
    }),
  },
  almalinux: {
    name: 'AlmaLinux OS',
    kind: 'os',
    releases: cycles({ '8': '2029-03-01', '9': '2032-05-31', '10': '2035-05-31' }),
  },
  rocky: {
    name: 'Rocky Linux',
    kind: 'os',
    releases: cycles({ '8': '2029-05-31', '9': '2032-05-31' }),
  },
  centos: {
    name: 'CentOS Linux',
    kind: 'os',
    releases: cycles({ '5': '2017-03-31', '6': '2020-11-30', '7': '2024-06-30', '8': '2021-12-31' }),
  },
  'centos-stream': {
    name: 'CentOS Stream',
    kind: 'os',
    releases: cycles({ '8': '2024-05-31', '9': '2027-05-31' }),
  },
  'amazon-linux': {
    name: 'Amazon Linux',
    kind: 'os',
    releases: cycles({ '2018.03': '2023-12-31', '2': '2026-06-30', '2023': '2029-06-30' }),
  },
  // End of general support of each service pack (`15.4` is SLES 15 SP4); LTSS is paid.
  sles: {
    name: 'SUSE Linux Enterprise Server',
    kind: 'os',
    releases: cycles({
      '12.3': '2019-06-30',
      '12.4': '2020-06-30',
      '12.5': '2024-10-31',
      '15': '2019-12-31',
      '15.1': '2021-01-31',
      '15.2': '2021-12-31',
      '15.3': '2022-12-31',
      '15.4': '2023-12-31',
      '15.5': '2024-12-31',
      '15.6': '2025-12-31',
      '15.7': '2031-07-31',
    }),
  },
  'opensuse-leap': {
    name: 'openSUSE Leap',
    kind: 'os',
    releases: cycles({
      '15.2': '2022-01-04',
      '15.3': '2022-12-31',
      '15.4': '2023-12-07',
      '15.5': '2024-12-31',
      '15.6': '2026-04-30',
    }),
  },
  fedora: {
    name: 'Fedora Linux',
    kind: 'os',
    releases: cycles({
      '33': '2021-11-30',
      '34': '2022-06-07',
      '35': '2022-12-13',
      '36': '2023-05-16',
      '37': '2023-12-05',
      '38': '2024-05-21',
      '39': '2024-11-26',
      '40': '2025-05-13',
      '41': '2025-12-15',
      '42': '2026-05-13',
      '43': '2026-12-09',
    }),
  },
  nodejs: {
    name: 'Node.js',
    kind: 'runtime',
    releases: cycles({
      '8': '2019-12-31',
      '10': '2021-04-30',
      '12': '2022-04-30',
      '14': '2023-04-30',
      '15': '2021-06-01',
      '16': '2023-09-11',
      '17': '2022-06-01',
      '18': '2025-04-30',
      '19': '2023-06-01',
      '20': '2026-04-30',
      '21': '2024-06-01',
      '22': '2027-04-30',
      '23': '2025-06-01',
      '24': '2028-04-30',
      '25': '2026-06-01',
    }),
  },
  python: {
    name: 'Python',
    kind: 'runtime',
    releases: cycles({
      '2.7': '2020-01-01',
      '3.5': '2020-09-30',
      '3.6': '2021-12-23',
      '3.7': '2023-06-27',
      '3.8': '2024-10-07',
      '3.9': '2025-10-31',
      '3.10': '2026-10-31',
      '3.11': '2027-10-31',
      '3.12': '2028-10-31',
      '3.13': '2029-10-31',
      '3.14': '2030-10-31',
    }),
  },
  ruby: {
    name: 'Ruby',
    kind: 'runtime',
    releases: cycles({
      '2.5': '2021-04-05',
      '2.6': '2022-04-12',
      '2.7': '2023-03-31',
      '3.0': '2024-04-23',
      '3.1': '2025-03-26',
      '3.2': '2026-03-31',
      '3.3': '2027-03-31',
      '3.4': '2028-03-31',
    }),
  },
  // Each Go release is supported until the release two minor versions later.
  go: {
    name: 'Go',
    kind: 'runtime',
    releases: cycles({
      '1.15': '2021-08-16',
      '1.16': '2022-03-15',
      '1.17': '2022-08-02',
      '1.18': '2023-02-01',
      '1.19': '2023-08-08',
      '1.20': '2024-02-06',
      '1.21': '2024-08-13',
      '1.22': '2025-02-11',
      '1.23': '2025-08-12',
    }),
  },
  // OpenJDK builds as Eclipse Adoptium (Temurin) supports them.
  java: {
    name: 'Java (OpenJDK)',
    kind: 'runtime',
    releases: cycles({
      '8': '2026-11-30',
      '11': '2027-10-31',
      '16': '2021-09-30',
      '17': '2027-10-31',
      '18': '2022-09-30',
      '19': '2023-03-31',
      '20': '2023-09-19',
      '21': '2029-12-31',
      '22': '2024-09-17',
      '23': '2025-03-18',
    }),
  },
  php: {
    name: 'PHP',
    kind: 'runtime',
    releases: cycles({
      '5.6': '2018-12-31',
      '7.0': '2019-01-10',
      '7.1': '2019-12-01',
      '7.2': '2020-11-30',
      '7.3': '2021-12-06',
      '7.4': '2022-11-28',
      '8.0': '2023-11-26',
      '8.1': '2025-12-31',
      '8.2': '2026-12-31',
      '8.3': '2027-12-31',
      '8.4': '2028-12-31',
    }),
  },
  dotnet: {
    name: '.NET',
    kind: 'runtime',
    releases: cycles({
      '2.1': '2021-08-21',
      '2.2': '2019-12-23',
      '3.0': '2020-03-03',
      '3.1': '2022-12-13',
      '5.0': '2022-05-10',
      '6.0': '2024-11-12',
      '7.0': '2024-05-14',
      '8.0': '2026-11-10',
      '9.0': '2026-11-10',
      '10.0': '2028-11-14',
    }),
  },
};
