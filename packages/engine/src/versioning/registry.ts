import { apkScheme } from './apk/scheme.ts';
import { cargoScheme } from './cargo/scheme.ts';
import { composerScheme } from './composer/scheme.ts';
import { dpkgScheme } from './dpkg/scheme.ts';
import { goScheme } from './go/scheme.ts';
import { mavenScheme } from './maven/scheme.ts';
import { nugetScheme } from './nuget/scheme.ts';
import { pep440Scheme } from './pep440/scheme.ts';
import { rpmScheme } from './rpm/scheme.ts';
import { rubygemsScheme } from './rubygems/scheme.ts';
import type { SchemeId, VersionScheme } from './scheme.ts';
import { semverScheme } from './semver/scheme.ts';

/** Every version scheme, keyed by id: the compiler demands one per SchemeId. */
export const versionSchemes: Readonly<Record<SchemeId, VersionScheme>> = {
  dpkg: dpkgScheme,
  rpm: rpmScheme,
  apk: apkScheme,
  semver: semverScheme,
  go: goScheme,
  pep440: pep440Scheme,
  maven: mavenScheme,
  rubygems: rubygemsScheme,
  nuget: nugetScheme,
  composer: composerScheme,
  cargo: cargoScheme,
};
