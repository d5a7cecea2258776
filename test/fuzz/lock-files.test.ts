/**
 * Fuzzing every lock file and manifest an application image can carry, through its analyzer's
 * entry point, seeded with the lock file vectors of ../shared/testvectors/lockfiles (real files
 * from trivy's and osv-scalibr's test suites).
 */
import { describe, it } from 'node:test';
import { fuzzAnalyzer, regularFile } from './analyzer-target.ts';
import { byteInputs } from './mutations.ts';
import { vectorFiles } from './seeds.ts';

interface LockFileTarget {
  readonly analyzerId: string;
  readonly path: string;
  /** Folders under testvectors/lockfiles whose files seed the mutations. */
  readonly seedFolders: readonly string[];
}

const targets: readonly LockFileTarget[] = [
  {
    analyzerId: 'npm-lock',
    path: 'app/package-lock.json',
    seedFolders: ['osv-scalibr/javascript/packagelockjson/input', 'trivy/nodejs/npm/input'],
  },
  {
    analyzerId: 'yarn-lock',
    path: 'app/yarn.lock',
    seedFolders: ['osv-scalibr/javascript/yarnlock/input', 'trivy/nodejs/yarn/input'],
  },
  {
    analyzerId: 'pnpm-lock',
    path: 'app/pnpm-lock.yaml',
    seedFolders: ['osv-scalibr/javascript/pnpmlock/input', 'trivy/nodejs/pnpm/input'],
  },
  {
    analyzerId: 'pipfile-lock',
    path: 'app/Pipfile.lock',
    seedFolders: ['osv-scalibr/python/pipfilelock/input', 'trivy/python/pipenv/input'],
  },
  {
    analyzerId: 'poetry-lock',
    path: 'app/poetry.lock',
    seedFolders: ['osv-scalibr/python/poetrylock/input', 'trivy/python/poetry/input'],
  },
  {
    analyzerId: 'pip-requirements',
    path: 'app/requirements.txt',
    seedFolders: ['osv-scalibr/python/requirements/input', 'trivy/python/pip/input'],
  },
  {
    analyzerId: 'cargo-lock',
    path: 'app/Cargo.lock',
    seedFolders: ['osv-scalibr/rust/cargolock/input', 'trivy/rust/cargo/input'],
  },
  {
    analyzerId: 'composer-lock',
    path: 'app/composer.lock',
    seedFolders: ['osv-scalibr/php/composerlock/input'],
  },
  {
    analyzerId: 'composer-installed',
    path: 'app/vendor/composer/installed.json',
    seedFolders: ['osv-scalibr/php/composerlock/input'],
  },
  {
    analyzerId: 'ruby-gemfile-lock',
    path: 'app/Gemfile.lock',
    seedFolders: ['osv-scalibr/ruby/gemfilelock/input', 'trivy/ruby/bundler/input'],
  },
  {
    analyzerId: 'dotnet-deps',
    path: 'app/app.deps.json',
    seedFolders: ['trivy/dotnet/core_deps/input'],
  },
  {
    analyzerId: 'nuget-lock',
    path: 'app/packages.lock.json',
    seedFolders: ['trivy/nuget/lock/input'],
  },
  {
    analyzerId: 'nuget-packages-config',
    path: 'app/packages.config',
    seedFolders: ['trivy/nuget/config/input'],
  },
  {
    analyzerId: 'gradle-lockfile',
    path: 'app/gradle.lockfile',
    seedFolders: ['osv-scalibr/java/gradlelockfile/input', 'trivy/gradle/lockfile/input'],
  },
  {
    analyzerId: 'sbt-lockfile',
    path: 'app/build.sbt.lock',
    seedFolders: ['trivy/sbt/lockfile/input'],
  },
];

function seedsOf(folders: readonly string[]): Buffer[] {
  return folders.flatMap((folder) => vectorFiles(`lockfiles/${folder}`));
}

describe('fuzz: lock files and manifests', () => {
  for (const target of targets) {
    it(`${target.analyzerId} (${target.path})`, async () => {
      await fuzzAnalyzer({
        analyzerId: target.analyzerId,
        path: target.path,
        inputs: byteInputs(seedsOf(target.seedFolders)),
      });
    });
  }

  it('go-mod: go.mod with its go.sum, and go.sum with its go.mod', async () => {
    const goMods = seedsOf(['osv-scalibr/golang/gomod/input']);
    const goSums = seedsOf(['trivy/golang/sum/input']);
    await fuzzAnalyzer({
      analyzerId: 'go-mod',
      path: 'app/go.mod',
      inputs: byteInputs(goMods),
      companions: goSums.slice(0, 1).map((content) => regularFile('app/go.sum', content)),
    });
    await fuzzAnalyzer({
      analyzerId: 'go-mod',
      path: 'src/go.sum',
      inputs: byteInputs(goSums),
      companions: goMods.slice(0, 1).map((content) => regularFile('src/go.mod', content)),
    });
  });
});
