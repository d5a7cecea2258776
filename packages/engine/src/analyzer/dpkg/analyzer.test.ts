import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AnalyzedFile } from '../contract.ts';
import type { DiagnosticFact, Fact, OwnedFilesFact, PackageFact, PackageRecord } from '../fact.ts';
import { dpkgAnalyzer } from './analyzer.ts';
import { classifyDpkgPath } from './dpkg-paths.ts';

const layer = {
  index: 2,
  digest: 'sha256:' + '2'.repeat(64),
  diffId: undefined,
  createdBy: 'RUN apt-get install',
};

function filesOf(files: Readonly<Record<string, string | Buffer>>): AnalyzedFile[] {
  return Object.entries(files).map(([path, text]) => {
    const content = typeof text === 'string' ? Buffer.from(text) : text;
    return { path, size: content.length, mode: 0o100644, content };
  });
}

async function analyze(
  files: Readonly<Record<string, string | Buffer>>,
  signal = new AbortController().signal,
): Promise<readonly Fact[]> {
  return dpkgAnalyzer.analyzeGroup(filesOf(files), { layer, signal });
}

const packages = (facts: readonly Fact[]): PackageFact[] =>
  facts.filter((fact): fact is PackageFact => fact.kind === 'package');
const records = (facts: readonly Fact[]): PackageRecord[] => packages(facts).map((fact) => fact.pkg);
const owned = (facts: readonly Fact[]): OwnedFilesFact[] =>
  facts.filter((fact): fact is OwnedFilesFact => fact.kind === 'owned-files');
const diagnostics = (facts: readonly Fact[]): DiagnosticFact[] =>
  facts.filter((fact): fact is DiagnosticFact => fact.kind === 'diagnostic');

const bookwormStatus = `Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12987
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u7
Depends: libgcc-s1
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
 .
 This package includes shared versions of the standard C library.

Package: bash
Essential: yes
Status: hold ok installed
Architecture: amd64
Source: bash (5.2.15-2)
Version: 5.2.15-2+b7
Pre-Depends: libc6 (>= 2.36), libtinfo6 (>= 6)

Package: bsdutils
Status: install ok installed
Architecture: amd64
Source: util-linux (2.38.1-5+deb12u1)
Version: 1:2.38.1-5+deb12u1

Package: gone
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: half
Status: install reinstreq half-installed
Architecture: amd64
Version: 1.0-1

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024a-0+deb12u1
`;

describe('dpkg analyzer: status', () => {
  it('reads installed packages with their source, epoch, architecture and purl', async () => {
    const facts = await analyze({ 'var/lib/dpkg/status': bookwormStatus });
    assert.deepEqual(diagnostics(facts), []);
    assert.deepEqual(records(facts), [
      {
        ecosystem: 'deb',
        name: 'libc6',
        version: '2.36-9+deb12u7',
        purl: 'pkg:deb/debian/libc6@2.36-9+deb12u7?arch=amd64',
        licenses: [],
        source: { name: 'glibc', version: '2.36-9+deb12u7' },
        arch: 'amd64',
      },
      {
        ecosystem: 'deb',
        name: 'bash',
        version: '5.2.15-2+b7',
        purl: 'pkg:deb/debian/bash@5.2.15-2+b7?arch=amd64',
        licenses: [],
        source: { name: 'bash', version: '5.2.15-2' },
        arch: 'amd64',
      },
      {
        ecosystem: 'deb',
        name: 'bsdutils',
        version: '1:2.38.1-5+deb12u1',
        purl: 'pkg:deb/debian/bsdutils@1:2.38.1-5+deb12u1?arch=amd64',
        licenses: [],
        source: { name: 'util-linux', version: '2.38.1-5+deb12u1' },
        arch: 'amd64',
      },
      {
        ecosystem: 'deb',
        name: 'tzdata',
        version: '2024a-0+deb12u1',
        purl: 'pkg:deb/debian/tzdata@2024a-0+deb12u1?arch=all',
        licenses: [],
        source: { name: 'tzdata', version: '2024a-0+deb12u1' },
        arch: 'all',
      },
    ]);
    for (const fact of packages(facts)) {
      assert.equal(fact.path, 'var/lib/dpkg/status');
      assert.equal(fact.origin, 'installed');
      assert.deepEqual(fact.layer, layer);
    }
  });

  it('reads CRLF files, field names in any case, and leaves out the architecture when there is none', async () => {
    const facts = await analyze({
      'var/lib/dpkg/status': 'package: tool\r\nSTATUS: install ok installed\r\nversion: 3.0\r\n\r\n',
    });
    assert.deepEqual(records(facts), [
      {
        ecosystem: 'deb',
        name: 'tool',
        version: '3.0',
        purl: 'pkg:deb/debian/tool@3.0',
        licenses: [],
        source: { name: 'tool', version: '3.0' },
      },
    ]);
  });

  it('reads distroless status.d files, which carry no Status, and skips the not-installed ones that do', async () => {
    const facts = await analyze({
      'var/lib/dpkg/status.d/base': 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n',
      'var/lib/dpkg/status.d/libssl3': `Package: libssl3
Version: 3.0.11-1~deb12u2
Architecture: amd64
Source: openssl

Package: removed
Status: deinstall ok config-files
Version: 1
`,
      'var/lib/dpkg/status.d/libssl3.md5sums':
        'b4fe4d7d5ee4a3f5e1c4a12d48ad5bba  usr/lib/x86_64-linux-gnu/libssl.so.3\n',
    });
    assert.deepEqual(
      packages(facts).map((fact) => [fact.path, fact.pkg.name, fact.pkg.source?.name]),
      [
        ['var/lib/dpkg/status.d/base', 'base-files', 'base-files'],
        ['var/lib/dpkg/status.d/libssl3', 'libssl3', 'openssl'],
      ],
    );
    assert.deepEqual(owned(facts), [
      {
        kind: 'owned-files',
        layer,
        path: 'var/lib/dpkg/status.d/libssl3.md5sums',
        ecosystem: 'deb',
        packageName: 'libssl3',
        files: ['usr/lib/x86_64-linux-gnu/libssl.so.3'],
      },
    ]);
  });

  it('reports stanzas without Package or Version and lines it cannot read, with the path, and goes on', async () => {
    const facts = await analyze({
      'var/lib/dpkg/status':
        'Package: ok\nStatus: install ok installed\nVersion: 1\n\nStatus: install ok installed\nVersion: 2\n\nnonsense\nPackage: b\nStatus: install ok installed\nVersion: 3\n',
    });
    assert.deepEqual(
      records(facts).map((pkg) => pkg.name),
      ['ok', 'b'],
    );
    const [report, ...rest] = diagnostics(facts);
    assert.deepEqual(rest, []);
    assert.ok(report);
    assert.equal(report.code, 'parse_error');
    assert.equal(report.source, 'dpkg');
    assert.equal(report.path, 'var/lib/dpkg/status');
    assert.match(report.message, /^2 problem\(s\) .*line 8: line is neither a field nor a continuation/);
  });

  it('stops when the scan is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(async () => analyze({ 'var/lib/dpkg/status': bookwormStatus }, controller.signal));
  });
});

describe('dpkg analyzer: owned files', () => {
  it('emits one fact per info list, relative paths, the root left out, multi-arch names kept', async () => {
    const facts = await analyze({
      'var/lib/dpkg/info/libc6:amd64.list':
        '/.\n/etc\n/etc/ld.so.conf.d\n/lib/x86_64-linux-gnu/libc.so.6\n/usr/share/doc/libc6\n',
      'var/lib/dpkg/info/bash.list':
        '/.\n/bin\n/bin/bash\n/etc/skel/.bashrc\n/usr/share/doc/file with spaces\n',
      'var/lib/dpkg/info/bash.md5sums': 'c8a7b0c4b1d27e0cd1cc0e9c4e2b5a7d  bin/bash\n',
      'var/lib/dpkg/info/bash.postinst': '#!/bin/sh\n',
      'var/lib/dpkg/info/tar.md5sums': 'f0a7a5eb5ccf9bc1b9e4dbbb1cbd52bf  usr/bin/tar\nnot a sum line\n',
    });
    assert.deepEqual(records(facts), [], 'lists alone are no packages');
    assert.deepEqual(
      owned(facts).map(({ path, packageName, files }) => ({ path, packageName, files })),
      [
        {
          path: 'var/lib/dpkg/info/bash.list',
          packageName: 'bash',
          files: ['bin', 'bin/bash', 'etc/skel/.bashrc', 'usr/share/doc/file with spaces'],
        },
        {
          path: 'var/lib/dpkg/info/libc6:amd64.list',
          packageName: 'libc6:amd64',
          files: ['etc', 'etc/ld.so.conf.d', 'lib/x86_64-linux-gnu/libc.so.6', 'usr/share/doc/libc6'],
        },
        // Only a package without a list falls back to its md5sums (which omit directories).
        { path: 'var/lib/dpkg/info/tar.md5sums', packageName: 'tar', files: ['usr/bin/tar'] },
      ],
    );
  });
});

const dep5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: bash
Source: https://ftp.gnu.org/gnu/bash/
License: GPL-3+

Files: *
Copyright: 1987-2022 Free Software Foundation, Inc.
License: GPL-3+

Files: lib/readline/*
Copyright: 1987-2022 Free Software Foundation, Inc.
License:  GPL-3+ or Artistic
 This is free software.

Files: examples/loadables/*
Copyright: 2000 Someone
License: BSD-3-clause

License: GPL-3+
 This program is free software; you can redistribute it and/or modify
 .
 On Debian systems, the complete text of the GNU General Public License
 version 3 can be found in '/usr/share/common-licenses/GPL-3'.

License: Artistic
 The "Artistic License"
`;

const freeForm = `This is the Debian GNU/Linux prepackaged version of the GNU C Library.

Copyright (C) 1991-2023 Free Software Foundation, Inc.

    The GNU C Library is free software; you can redistribute it and/or
    modify it under the terms of the GNU Lesser General Public
    License as published by the Free Software Foundation; either
    version 2.1 of the License, or (at your option) any later version.

  On Debian systems, the complete text of the GNU Library
  General Public License can be found in \`/usr/share/common-licenses/LGPL-2.1'.

  On Debian systems, the complete text of the GNU Library
  General Public License can be found in \`/usr/share/common-licenses/GPL-2'.
  See also /usr/share/common-licenses/LGPL-2.1.
`;

describe('dpkg analyzer: licences from copyright files', () => {
  const status = `Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b7
Source: bash (5.2.15-2)

Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9
Depends: libgcc-s1 (>= 3.0)

Package: libc6
Status: install ok installed
Architecture: i386
Source: glibc
Version: 2.36-9

Package: gcc-12-base
Status: install ok installed
Architecture: amd64
Source: gcc-12
Version: 12.2.0-14

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Source: gcc-12
Version: 12.2.0-14
Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)

Package: cpp-12
Status: install ok installed
Architecture: amd64
Source: gcc-12
Version: 12.2.0-14
Depends: gcc-12-base (= 12.2.0-14)

Package: nodoc
Status: install ok installed
Version: 1
`;

  it('attaches DEP-5 licence synopses and free-form common-licenses references to the packages of the layer', async () => {
    const facts = await analyze({
      'var/lib/dpkg/status': status,
      'usr/share/doc/bash/copyright': dep5,
      'usr/share/doc/libc6/copyright': freeForm,
      'usr/share/doc/gcc-12-base/copyright': 'GCC is under /usr/share/common-licenses/GPL-3.\n',
      'usr/share/doc/cpp-12/copyright': 'The compiler: /usr/share/common-licenses/GFDL-1.3\n',
      'usr/share/doc/orphan/copyright': dep5,
    });
    assert.deepEqual(
      records(facts).map((pkg) => [pkg.name, pkg.arch, pkg.licenses]),
      [
        ['bash', 'amd64', ['GPL-3+', 'GPL-3+ or Artistic', 'BSD-3-clause', 'Artistic']],
        // Both architectures share usr/share/doc/libc6.
        ['libc6', 'amd64', ['LGPL-2.1', 'GPL-2']],
        ['libc6', 'i386', ['LGPL-2.1', 'GPL-2']],
        ['gcc-12-base', 'amd64', ['GPL-3']],
        // No copyright of its own (its doc directory is a symlink): the sibling of the same source it depends on.
        ['libgcc-s1', 'amd64', ['GPL-3']],
        ['cpp-12', 'amd64', ['GFDL-1.3']],
        ['nodoc', undefined, []],
      ],
    );
  });

  it('emits licence facts for copyright files in a layer without a dpkg database', async () => {
    const facts = await analyze({ 'usr/share/doc/bash/copyright': dep5 });
    assert.equal(facts.filter((fact) => fact.kind === 'package').length, 0);
    const licence = facts.find((fact) => fact.kind === 'license');
    assert.ok(licence && licence.kind === 'license');
    assert.equal(licence.packageName, 'bash');
    assert.ok(licence.licenses.length > 0);
  });

  it('keeps an empty list for a copyright file that names no licence', async () => {
    const facts = await analyze({
      'var/lib/dpkg/status': status,
      'usr/share/doc/libgcc-s1/copyright': 'All rights reserved.\n',
      'usr/share/doc/gcc-12-base/copyright': '/usr/share/common-licenses/GPL-3\n',
    });
    assert.deepEqual(records(facts).find((pkg) => pkg.name === 'libgcc-s1')?.licenses, []);
  });
});

describe('dpkg analyzer: wants', () => {
  it('classifies exactly the files it reads', () => {
    const wanted = (path: string): boolean =>
      path === dpkgAnalyzer.wants.paths?.[0] ||
      (dpkgAnalyzer.wants.prefixes ?? []).some((prefix) => path.startsWith(prefix)) ||
      dpkgAnalyzer.wants.match?.(path, 0, 0o100644) === true;
    const cases: readonly [string, string | undefined][] = [
      ['var/lib/dpkg/status', 'status'],
      ['var/lib/dpkg/status-old', undefined],
      ['var/lib/dpkg/status.d/foo', 'status-part'],
      ['var/lib/dpkg/status.d/foo.md5sums', 'md5sums'],
      ['var/lib/dpkg/info/libc6:amd64.list', 'list'],
      ['var/lib/dpkg/info/bash.md5sums', 'md5sums'],
      ['var/lib/dpkg/info/bash.postinst', undefined],
      ['var/lib/dpkg/info/.list', undefined],
      ['usr/share/doc/bash/copyright', 'copyright'],
      ['usr/share/doc/bash/examples/copyright', undefined],
      ['usr/share/doc/copyright', undefined],
      ['etc/apt/sources.list', undefined],
      ['srv/var/lib/dpkg/status', undefined],
    ];
    for (const [path, kind] of cases) {
      assert.equal(classifyDpkgPath(path)?.kind, kind, path);
      if (kind !== undefined) assert.ok(wanted(path), path);
    }
    assert.equal(wanted('etc/apt/sources.list'), false);
    assert.equal(wanted('usr/share/doc/bash/README'), false);
  });
});

describe('dpkg analyzer: hostile input', () => {
  const paths = [
    'var/lib/dpkg/status',
    'var/lib/dpkg/status.d/x',
    'var/lib/dpkg/status.d/x.md5sums',
    'var/lib/dpkg/info/x.list',
    'usr/share/doc/x/copyright',
  ];

  it('never throws on arbitrary bytes or text in any of its files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
          fc.string({ unit: 'binary', maxLength: 2000 }).map((text) => Buffer.from(text)),
          fc
            .array(
              fc.constantFrom(
                'Package: x',
                'Status: install ok installed',
                'Version: 1',
                ' cont',
                '',
                'License: GPL',
                'Format: x',
                'Source: y (',
                ':',
                '#',
              ),
              { maxLength: 60 },
            )
            .map((lines) => Buffer.from(lines.join('\n'))),
        ),
        async (path, content) => {
          const facts = await analyze({
            'var/lib/dpkg/status': 'Package: x\nStatus: install ok installed\nVersion: 1\n',
            [path]: content,
          });
          assert.ok(Array.isArray(facts));
          for (const fact of facts) if (fact.kind === 'diagnostic') assert.equal(fact.path, path);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads generated stanzas back exactly', async () => {
    const token = fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{0,20}$/);
    const stanza = fc.record({
      name: token,
      version: fc
        .tuple(fc.option(fc.nat(9), { nil: undefined }), token)
        .map(([epoch, v]) => (epoch === undefined ? v : `${epoch}:${v}`)),
      arch: fc.option(fc.constantFrom('amd64', 'arm64', 'all'), { nil: undefined }),
      source: fc.option(fc.tuple(token, fc.option(token, { nil: undefined })), { nil: undefined }),
      description: fc.array(fc.stringMatching(/^[ -~]{1,40}$/), { maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stanza, { maxLength: 20 }), async (stanzas) => {
        const text = stanzas
          .map((s) =>
            [
              `Package: ${s.name}`,
              'Status: install ok installed',
              ...(s.arch ? [`Architecture: ${s.arch}`] : []),
              ...(s.source ? [`Source: ${s.source[0]}${s.source[1] ? ` (${s.source[1]})` : ''}`] : []),
              `Version: ${s.version}`,
              'Description: generated',
              ...s.description.map((line) => ` ${line.trim() === '' ? '.' : line}`),
            ].join('\n'),
          )
          .join('\n\n');
        const facts = await analyze({ 'var/lib/dpkg/status': text });
        assert.deepEqual(diagnostics(facts), []);
        assert.deepEqual(
          records(facts).map((pkg) => [pkg.name, pkg.version, pkg.arch, pkg.source]),
          stanzas.map((s) => [
            s.name,
            s.version,
            s.arch,
            { name: s.source?.[0] ?? s.name, version: s.source?.[1] ?? s.version },
          ]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('copes with huge fields, many lines and long runs of separators', async () => {
    const huge = 'x'.repeat(8 * 1024 * 1024);
    const facts = await analyze({
      'var/lib/dpkg/status': `Package: big\nStatus: install ok installed\nVersion: 1\nDescription: ${huge}\n${' a\n'.repeat(200_000)}\n${'\n'.repeat(100_000)}${huge}\n`,
      'var/lib/dpkg/info/big.list': `/${'/'.repeat(1_000_000)}x\n${'/a\n'.repeat(200_000)}`,
      'var/lib/dpkg/info/big.md5sums': `${'0'.repeat(1_000_000)}  x\n`,
      'usr/share/doc/big/copyright': `Format: x\n\n${'License: A\n\n'.repeat(100_000)}/usr/share/common-licenses/${'G'.repeat(1_000_000)}`,
    });
    const [pkg] = records(facts);
    assert.equal(pkg?.name, 'big');
    assert.deepEqual(pkg?.licenses, ['A']);
    assert.equal(diagnostics(facts).length, 1);
    assert.equal(owned(facts)[0]?.files.length, 200_001);
  });
});
