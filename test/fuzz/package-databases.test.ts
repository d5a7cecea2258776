/**
 * Fuzzing the installed-package databases an image carries (dpkg, apk, rpm in its three formats,
 * Python metadata, npm manifests, Go and Rust binaries, Java archives, gemspecs, os-release):
 * through each analyzer's entry point, and the rpm header blob parser on its own, since every rpm
 * format ends in it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pointerFormatElf, framedModinfo } from '../../packages/engine/src/analyzer/go-binary/test-elf.ts';
import { pomJar, writeZip } from '../../packages/engine/src/analyzer/java/test-zip.ts';
import { parseManifest } from '../../packages/engine/src/analyzer/java/manifest.ts';
import { parseJavaProperties } from '../../packages/engine/src/analyzer/java/java-properties.ts';
import { zipOf } from '../../packages/engine/src/analyzer/python/zip-fixture.ts';
import { parseHeaderBlob } from '../../packages/engine/src/analyzer/rpm/header-blob.ts';
import { buildNdb, buildPackageBlob } from '../../packages/engine/src/analyzer/rpm/test-fixtures.ts';
import { fuzzAnalyzer, regularFile } from './analyzer-target.ts';
import { boundedCall, nothingThrown } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { byteInputs, mutatedBytes, textInputs } from './mutations.ts';
import { vectorFile, vectorFiles, vectorTexts } from './seeds.ts';

const utf8 = (texts: readonly string[]): Buffer[] => texts.map((text) => Buffer.from(text, 'utf8'));

const rpmBlobs = [
  buildPackageBlob({
    name: 'bash',
    version: '5.1.8',
    release: '6.el9',
    arch: 'x86_64',
    sourceRpm: 'bash-5.1.8-6.el9.src.rpm',
    license: 'GPLv3+',
    vendor: 'Red Hat, Inc.',
    files: ['/usr/bin/bash', '/etc/skel/.bashrc'],
  }),
  buildPackageBlob({
    name: 'nodejs',
    epoch: 1,
    modularityLabel: 'nodejs:18:9020020230322164035:rhel9',
    files: ['/usr/bin/node'],
  }),
];

const gemspec = `# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"
  s.authors = ["Hiroshi SHIBATA".freeze, "Eric Hodel".freeze]
  s.licenses = ["MIT".freeze]
  s.metadata = { "source_code_uri" => "https://github.com/ruby/rake/tree/v13.0.6" } if s.respond_to? :metadata=
  s.add_runtime_dependency(%q<racc>.freeze, ["~> 1.4"])
end
`;

const modinfo =
  'path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/text\tv0.14.0\th1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=\nbuild\t-compiler=gc\n';

const goBinaries = [true, false].flatMap((is64) =>
  [false, true].map((withoutSections) =>
    pointerFormatElf({
      is64,
      bigEndian: !is64,
      goVersion: 'go1.16.15',
      modinfo: framedModinfo(modinfo),
      withoutSections,
    }),
  ),
);

describe('fuzz: dpkg', () => {
  it('the status file, with an info list beside it', async () => {
    await fuzzAnalyzer({
      analyzerId: 'dpkg',
      path: 'var/lib/dpkg/status',
      inputs: byteInputs(vectorFiles('dpkg-status/osv-scalibr/input/dpkg')),
      companions: [regularFile('var/lib/dpkg/info/acl.list', '/.\n/bin\n/bin/chacl\n')],
    });
  });

  it('status.d parts, .list and .md5sums files', async () => {
    const status = regularFile(
      'var/lib/dpkg/status',
      vectorFile('dpkg-status/osv-scalibr/input/dpkg/single'),
    );
    await fuzzAnalyzer({
      analyzerId: 'dpkg',
      path: 'var/lib/dpkg/info/acl.md5sums',
      inputs: byteInputs(
        utf8([
          'd41d8cd98f00b204e9800998ecf8427e  bin/chacl\n0123456789abcdef0123456789abcdef  usr/bin/getfacl\n',
        ]),
      ),
      companions: [status],
    });
    await fuzzAnalyzer({
      analyzerId: 'dpkg',
      path: 'var/lib/dpkg/status.d/acl',
      inputs: byteInputs(vectorFiles('dpkg-status/osv-scalibr/input/dpkg/status.d')),
    });
  });
});

describe('fuzz: apk', () => {
  it('lib/apk/db/installed', async () => {
    await fuzzAnalyzer({
      analyzerId: 'apk',
      path: 'lib/apk/db/installed',
      inputs: byteInputs([
        ...vectorFiles('apk-installed/osv-scalibr/input'),
        ...vectorFiles('apk-installed/trivy/input'),
      ]),
    });
  });
});

describe('fuzz: rpm', () => {
  it('header blobs, parsed on their own', () => {
    fc.assert(
      fc.property(byteInputs(rpmBlobs), (blob) => {
        boundedCall('parseHeaderBlob', blob, () => parseHeaderBlob(blob), nothingThrown);
      }),
      fuzzParameters(4),
    );
  });

  it('an ndb Packages.db', async () => {
    await fuzzAnalyzer({
      analyzerId: 'rpm',
      path: 'usr/lib/sysimage/rpm/Packages.db',
      inputs: byteInputs([buildNdb(rpmBlobs)]),
    });
  });

  it('a Berkeley DB Packages file', async () => {
    await fuzzAnalyzer({
      analyzerId: 'rpm',
      path: 'var/lib/rpm/Packages',
      inputs: mutatedBytes([
        vectorFile('rpmdb/db/libuuid/Packages'),
        vectorFile('rpmdb/osv-scalibr/input/Packages_epoch'),
      ]),
      weight: 0.5,
    });
  });

  it('an SQLite rpmdb.sqlite', async () => {
    await fuzzAnalyzer({
      analyzerId: 'rpm',
      path: 'var/lib/rpm/rpmdb.sqlite',
      inputs: mutatedBytes([
        vectorFile('rpmdb/osv-scalibr/input/empty.sqlite'),
        vectorFile('rpmdb/db/cbl-mariner-2.0/rpmdb.sqlite'),
      ]),
      weight: 0.25,
    });
  });
});

describe('fuzz: language package metadata', () => {
  it('Python METADATA and PKG-INFO, and .egg archives', async () => {
    const metadata = vectorFiles('lockfiles/osv-scalibr/python/wheelegg/input');
    await fuzzAnalyzer({
      analyzerId: 'python-installed',
      path: 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA',
      inputs: byteInputs(metadata),
    });
    const egg = zipOf({ 'EGG-INFO/PKG-INFO': metadata[0]?.toString('utf8') ?? '' });
    await fuzzAnalyzer({
      analyzerId: 'python-installed',
      path: 'usr/lib/python3/site-packages/six-1.16.0.egg',
      inputs: byteInputs([egg]),
    });
  });

  it('npm package.json inside node_modules', async () => {
    await fuzzAnalyzer({
      analyzerId: 'npm-installed',
      path: 'app/node_modules/express/package.json',
      inputs: byteInputs(vectorFiles('lockfiles/trivy/nodejs/packagejson/input')),
    });
  });

  it('installed gemspecs', async () => {
    await fuzzAnalyzer({
      analyzerId: 'ruby-gemspec',
      path: 'usr/local/bundle/specifications/rake-13.0.6.gemspec',
      inputs: byteInputs(utf8([gemspec])),
    });
  });

  it('Java archives, their manifests and pom.properties', async () => {
    const stored = writeZip([
      {
        name: 'META-INF/MANIFEST.MF',
        content: Buffer.from(
          'Manifest-Version: 1.0\r\nImplementation-Title: demo\r\nImplementation-Version: 2.1\r\n\r\n',
        ),
        method: 0,
      },
      {
        name: 'META-INF/maven/org.example/demo/pom.properties',
        content: Buffer.from('groupId=org.example\nartifactId=demo\nversion=2.1\n'),
        method: 0,
      },
      { name: 'BOOT-INF/lib/inner-1.0.jar', content: pomJar('org.example', 'inner', '1.0'), method: 0 },
    ]);
    await fuzzAnalyzer({
      analyzerId: 'java-archive',
      path: 'app/demo-2.1.jar',
      inputs: byteInputs([stored, pomJar('org.apache.commons', 'commons-text', '1.10.0')]),
    });
    const manifest =
      'Manifest-Version: 1.0\r\nBundle-SymbolicName: org.example.demo\r\nImplementation-Vendor-Id: org\r\n .example\r\n\r\nName: a\r\nB: c\r\n';
    const properties = '#c\ngroupId=org.example\nartifactId\\=x=demo\\\n  continued\nversion:1.0\n';
    fc.assert(
      fc.property(textInputs([manifest, properties]), (text) => {
        boundedCall('parseManifest', text, () => parseManifest(text), nothingThrown);
        boundedCall('parseJavaProperties', text, () => parseJavaProperties(text), nothingThrown);
      }),
      fuzzParameters(),
    );
  });
});

describe('fuzz: binaries', () => {
  it('Go build information in ELF executables', async () => {
    await fuzzAnalyzer({
      analyzerId: 'go-binary',
      path: 'usr/local/bin/app',
      inputs: mutatedBytes(goBinaries),
      executable: true,
    });
  });

  it('cargo-auditable data in ELF executables', async () => {
    await fuzzAnalyzer({
      analyzerId: 'cargo-auditable',
      path: 'usr/local/bin/app',
      inputs: mutatedBytes(goBinaries),
      executable: true,
    });
  });
});

describe('fuzz: os-release', () => {
  it('os-release, lsb-release and the one-line release files', async () => {
    const texts = [
      'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\nID_LIKE="rhel fedora"\nPRETTY_NAME=\'Debian \\"12\\"\'\n',
      'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n',
      '3.19.1\n',
    ];
    for (const path of [
      'etc/os-release',
      'etc/lsb-release',
      'etc/alpine-release',
      'etc/debian_version',
      'etc/redhat-release',
    ]) {
      await fuzzAnalyzer({ analyzerId: 'os-release', path, inputs: byteInputs(utf8(texts)), weight: 0.4 });
    }
  });
});

describe('fuzz: seeds', () => {
  it('every seed above is read by its parser without a problem (so mutations start from valid input)', () => {
    for (const blob of rpmBlobs) assert.equal(parseHeaderBlob(blob).ok, true);
    assert.ok(vectorTexts('dpkg-status/osv-scalibr/input/dpkg').some((text) => text.includes('Package:')));
  });
});
