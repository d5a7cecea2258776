import type { PackageRecord } from '../../analyzer/fact.ts';
import type { EndOfLifeProductId } from './end-of-life-table.ts';

/** A language runtime release a package stands for: the product and its release cycle. */
export interface RuntimeRelease {
  readonly product: EndOfLifeProductId;
  readonly cycle: string;
}

/** `1.21` from `2:1.21.5-1`, `v1.21.5`, `3.11.2-1+b1`; `major` keeps only the first number. */
function cycleOfVersion(version: string, parts: 'major' | 'minor'): string | undefined {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version.replace(/^\d+:/, '').replace(/^v/, ''));
  if (!match) return undefined;
  if (parts === 'major') return match[1];
  return match[2] === undefined ? undefined : `${match[1]}.${match[2]}`;
}

type Rule = (name: string, version: string) => RuntimeRelease | undefined;

const from = (product: EndOfLifeProductId, cycle: string | undefined): RuntimeRelease | undefined =>
  cycle === undefined ? undefined : { product, cycle };

/**
 * How each distribution names its runtime packages. Only the packages that are the runtime itself
 * count (the interpreter, the JVM, the shared runtime), not libraries written for it.
 */
const osRules: readonly Rule[] = [
  (name, version) =>
    ['nodejs', 'nodejs-current'].includes(name)
      ? from('nodejs', cycleOfVersion(version, 'major'))
      : undefined,
  (name) => {
    // Debian `python3.11` / `python3.11-minimal`, Fedora `python3.12`, RHEL 8 modules `python39`.
    const match = /^python(\d)\.?(\d+)(-minimal)?$/.exec(name);
    return match ? from('python', `${match[1]}.${match[2]}`) : undefined;
  },
  (name, version) =>
    ['python', 'python2', 'python3'].includes(name)
      ? from('python', cycleOfVersion(version, 'minor'))
      : undefined,
  (name, version) => {
    const match = /^ruby(\d\.\d)$/.exec(name);
    if (match) return from('ruby', match[1]);
    return name === 'ruby' ? from('ruby', cycleOfVersion(version, 'minor')) : undefined;
  },
  (name, version) => {
    const match = /^golang-(\d\.\d+)-go$/.exec(name);
    if (match) return from('go', match[1]);
    return ['go', 'golang', 'golang-go'].includes(name)
      ? from('go', cycleOfVersion(version, 'minor'))
      : undefined;
  },
  (name) => {
    // Debian `openjdk-17-jre-headless`, Alpine `openjdk17-jre`, Fedora `java-17-openjdk-headless`,
    // `java-1.8.0-openjdk`.
    const match =
      /^openjdk-?(\d+)(-(jre|jdk)(-headless)?)?$/.exec(name) ??
      /^java-(\d+|1\.\d\.0)-openjdk(-headless|-devel)?$/.exec(name);
    if (!match?.[1]) return undefined;
    const release = match[1].startsWith('1.') ? (match[1].split('.')[1] ?? '') : match[1];
    return from('java', release);
  },
  (name, version) => {
    // Debian `php8.2-cli`, Alpine `php82` / `php81-common`, Fedora `php-cli`, Alpine 3.14 `php8`.
    const debian = /^(?:php(\d\.\d)-(?:cli|fpm|common|cgi)|libapache2-mod-php(\d\.\d))$/.exec(name);
    if (debian) return from('php', debian[1] ?? debian[2]);
    const alpine = /^php(\d)(\d)(-(common|cli|fpm|cgi))?$/.exec(name);
    if (alpine) return from('php', `${alpine[1]}.${alpine[2]}`);
    return /^php\d?(-(cli|fpm|common|cgi))?$/.test(name)
      ? from('php', cycleOfVersion(version, 'minor'))
      : undefined;
  },
  (name) => {
    // Microsoft and Fedora `dotnet-runtime-8.0`, Alpine `dotnet8-runtime`.
    const versioned = /^(?:dotnet|aspnetcore)-runtime-(\d+\.\d)$/.exec(name);
    if (versioned) return from('dotnet', versioned[1]);
    const alpine = /^(?:dotnet|aspnetcore)(\d+)-runtime$/.exec(name);
    return alpine ? from('dotnet', `${alpine[1]}.0`) : undefined;
  },
];

/**
 * The runtime release a package is, if it is one: OS packages by the distributions' names, the Go
 * standard library compiled into a binary (`stdlib` of a golang package), and the .NET runtime pack
 * of a self-contained application. Packages of an ecosystem (an npm module, a gem) never are.
 */
export function runtimeReleaseOf(pkg: PackageRecord): RuntimeRelease | undefined {
  switch (pkg.ecosystem) {
    case 'deb':
    case 'apk':
    case 'rpm':
      for (const rule of osRules) {
        const release = rule(pkg.name, pkg.version);
        if (release) return release;
      }
      return undefined;
    case 'golang':
      return pkg.name === 'stdlib' ? from('go', cycleOfVersion(pkg.version, 'minor')) : undefined;
    case 'nuget':
      return /^Microsoft\.(NETCore|AspNetCore)\.App\.Runtime\./i.test(pkg.name)
        ? from('dotnet', cycleOfVersion(pkg.version, 'minor'))
        : undefined;
    default:
      return undefined;
  }
}
