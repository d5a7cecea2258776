import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defineVectorSuite, dropNamed, expectedPackage, lockfileVectors } from '../go-mod/test-vectors.ts';
import { dotnetDepsAnalyzer, nugetLockAnalyzer, nugetPackagesConfigAnalyzer } from './analyzers.ts';

/** Trivy also reports the libraries of type "project": the application and its sibling projects, no NuGet packages. */
const projects = (...names: readonly string[]) => ({
  reason: `libraries of type "project" (${names.join(', ')}) are the solution's own projects, not NuGet packages: left out`,
  adjust: dropNamed(...names),
});

describe('.NET and NuGet test vectors', () => {
  defineVectorSuite({
    folder: 'trivy/dotnet/core_deps',
    analyzer: dotnetDepsAnalyzer,
    pathFor: () => 'app/App.deps.json',
    withDev: false,
    exceptions: {
      'input/happy.deps.json#happy path': projects('ExampleApp1'),
      'input/without-runtime.deps.json#happy path with skipped libs': projects('hello2'),
      'input/missing-target.deps.json#target libs not found': projects('ExampleApp1'),
      'input/self-contained.deps.json#self-contained with bundled runtime': projects('ExampleApp1'),
      'input/multi-project.deps.json#multi-project solution': projects('Web', 'Api', 'Data'),
      'input/ambiguous-root.deps.json#ambiguous root': projects('Web', 'Worker'),
    },
  });
  defineVectorSuite({
    folder: 'trivy/nuget/lock',
    analyzer: nugetLockAnalyzer,
    pathFor: () => 'src/App/packages.lock.json',
    withDev: false,
    exceptions: {},
  });
  defineVectorSuite({
    folder: 'trivy/nuget/config',
    analyzer: nugetPackagesConfigAnalyzer,
    pathFor: () => 'src/App/packages.config',
    withDev: true,
    exceptions: {
      'input/dev_dependency.config#with development dependency': {
        reason:
          'a developmentDependency="true" package is reported with dev: true (the inventory decides what to show, ' +
          'as for every lock file); trivy leaves it out',
        adjust: (expected) => [...expected, expectedPackage('Microsoft.Net.Compilers', '1.0.0', true)],
      },
    },
  });

  it('leaves out the MSBuild project vectors on purpose', () => {
    // osv-scalibr/dotnet/csproj (6 cases) and trivy/nuget/packagesprops (6 cases) read PackageReference /
    // PackageVersion items of *.csproj and Directory.Packages.props: declared versions (often ranges or
    // MSBuild properties) of a project's source, not what was restored. No lock file, no installed
    // metadata; outside this work's brief. Named here so they are not dropped silently.
    for (const folder of ['osv-scalibr/dotnet/csproj', 'trivy/nuget/packagesprops'])
      assert.ok(existsSync(join(lockfileVectors, folder, 'expected.json')), folder);
  });
});
