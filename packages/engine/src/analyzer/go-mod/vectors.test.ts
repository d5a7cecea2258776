import { describe } from 'node:test';
import { goModAnalyzer } from './analyzer.ts';
import {
  defineVectorSuite,
  dropNamed,
  expectedPackage,
  keepNamed,
  type ExpectedPackage,
} from './test-vectors.ts';

/** Trivy reports the module being parsed as a versionless root package; it is the project, not a dependency. */
const dropRoot = (expected: readonly ExpectedPackage[]): readonly ExpectedPackage[] =>
  expected.filter((pkg) => pkg.raw['Relationship'] !== 'ftypes.RelationshipRoot');

const stdlibBefore121 =
  'a `go` line before 1.21 is a language version, not a toolchain requirement (https://go.dev/doc/toolchain): ' +
  'no stdlib is reported from it';

/** osv-scalibr locates packages it read from a go.sum beside the go.mod; that go.sum was not copied into the vectors. */
const dropFromMissingGoSum = (expected: readonly ExpectedPackage[]): readonly ExpectedPackage[] =>
  expected.filter(
    (pkg) =>
      !JSON.stringify(pkg.raw['Location'] ?? '').startsWith(
        '{"$call":"extractor.LocationFromPathAndLine","args":["testdata/indirect-1.16.sum"',
      ),
  );

describe('go.mod and go.sum test vectors', () => {
  defineVectorSuite({
    folder: 'trivy/golang/mod',
    analyzer: goModAnalyzer,
    pathFor: () => 'src/app/go.mod',
    withDev: false,
    exceptions: {
      'input/normal/go.mod#normal with stdlib': { reason: 'root package dropped', adjust: dropRoot },
      'input/normal/go.mod#normal': {
        reason:
          'trivy option useMinVersion=false (no stdlib); Drydock always reports the toolchain line as stdlib, ' +
          'the same input is compared in "normal with stdlib"',
      },
      'input/no-go-version/gomod#without go version': { reason: 'root package dropped', adjust: dropRoot },
      'input/replaced/go.mod#replace': { reason: 'root package dropped', adjust: dropRoot },
      'input/replaced/go.mod#no replace': {
        reason:
          'trivy option replace=false; Drydock always applies replace directives, as the go command does',
      },
      'input/replaced-with-version/go.mod#replace with version': {
        reason: 'root package dropped',
        adjust: dropRoot,
      },
      'input/replaced-with-version-mismatch/go.mod#replaced with version mismatch': {
        reason: 'root package dropped',
        adjust: dropRoot,
      },
      'input/replaced-with-local-path/go.mod#replaced with local path': {
        reason: 'root package dropped',
        adjust: dropRoot,
      },
      'input/replaced-with-local-path-and-version/go.mod#replaced with local path and version': {
        reason: 'root package dropped',
        adjust: dropRoot,
      },
      'input/replaced-with-local-path-and-version-mismatch/go.mod#replaced with local path and version, mismatch':
        {
          reason: 'root package dropped',
          adjust: dropRoot,
        },
      'input/go116/go.mod#go 1.16': {
        reason:
          'root package dropped; trivy also drops `// indirect` requirements of go < 1.17 modules (it takes ' +
          'them from go.sum), Drydock keeps them: they are requirements minimal version selection honours',
        adjust: (expected) => [
          ...dropRoot(expected),
          expectedPackage('gopkg.in/yaml.v3', 'v3.0.0-20210107192922-496545a6307b'),
        ],
      },
    },
  });

  defineVectorSuite({
    folder: 'osv-scalibr/golang/gomod',
    analyzer: goModAnalyzer,
    pathFor: () => 'src/app/go.mod',
    withDev: false,
    upstreamVersion: (version) => version.replace(/^v/, ''),
    exceptions: {
      'input/two-packages.mod#two packages': { reason: stdlibBefore121, adjust: dropNamed('stdlib') },
      'input/indirect-packages.mod#indirect packages': {
        reason: stdlibBefore121,
        adjust: dropNamed('stdlib'),
      },
      'input/replace-local.mod#replacements_ local': {
        reason:
          'a module replaced by a local directory is no published module version: Drydock leaves it out ' +
          '(as trivy does), osv-scalibr reports "./fork/net" without a version',
        adjust: dropNamed('./fork/net'),
      },
      'input/indirect-1.23.mod#test extractor for go > 1.16': {
        reason:
          '`go 1.23` is reported as the stdlib version v1.23.0, the semver the Go vulnerability database compares',
        adjust: (expected) => [...dropNamed('stdlib')(expected), expectedPackage('stdlib', '1.23.0')],
      },
      'input/indirect-1.16.mod#test extractor for go <=1.16': {
        reason: `the go.sum this case reads was not copied into the vectors; ${stdlibBefore121}`,
        adjust: (expected) => dropNamed('stdlib')(dropFromMissingGoSum(expected)),
      },
      'input/indirect-packages.mod#exclude indirect': {
        reason:
          `osv-scalibr option excludeIndirect is not offered (the PackageRecord has no direct/indirect field): ` +
          `its wanted and not-wanted packages together are compared; ${stdlibBefore121}`,
        adjust: () => [
          expectedPackage('github.com/BurntSushi/toml', '1.0.0'),
          expectedPackage('gopkg.in/yaml.v2', '2.4.0'),
          expectedPackage('github.com/mattn/go-colorable', '0.1.9'),
          expectedPackage('github.com/mattn/go-isatty', '0.0.14'),
          expectedPackage('golang.org/x/sys', '0.0.0-20210630005230-0f9fa26af87c'),
        ],
      },
      'input/indirect-1.16.mod#exclude indirect with go.sum': {
        reason: `osv-scalibr option excludeIndirect is not offered; the go.sum was not copied; ${stdlibBefore121}`,
        adjust: () => [expectedPackage('github.com/sirupsen/logrus', '1.9.3')],
      },
    },
  });

  defineVectorSuite({
    folder: 'trivy/golang/sum',
    analyzer: goModAnalyzer,
    pathFor: () => 'src/app/go.sum',
    withDev: false,
    exceptions: {
      'input/gomod_many.sum': {
        reason:
          'modules with only `/go.mod` hash lines were never built (only their go.mod was read): Drydock skips them',
        adjust: dropNamed('gopkg.in/check.v1', 'gopkg.in/yaml.v2'),
      },
      'input/gomod_trivy.sum': {
        reason:
          'every line but one of this go.sum is a `/go.mod` hash line (modules whose code was never built): ' +
          'Drydock skips them and reports only the one module with a content hash',
        adjust: keepNamed('github.com/aquasecurity/trivy'),
      },
    },
  });
});
