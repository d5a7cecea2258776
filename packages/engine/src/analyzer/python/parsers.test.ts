import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseCoreMetadata } from './core-metadata.ts';
import { normalizeName } from './package-name.ts';
import { parsePipfileLock } from './pipfile-lock.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import { parseRequirements } from './requirements.ts';
import { decodeText } from './text.ts';
import { zipOf } from './zip-fixture.ts';
import { readZipMember } from './zip-member.ts';

function namesAndVersions(text: string): string[][] {
  const result = parseRequirements(text);
  assert.ok(result.ok);
  return result.packages.map((found) => [found.name, found.version]);
}

describe('core metadata', () => {
  it('reads case-insensitive fields up to the body, continuation lines and the first Name and Version', () => {
    const result = parseCoreMetadata(
      'metadata-version: 2.1\nNAME: Foo\nversion: 1.0\nVersion: 2.0\nLicense: BSD\n        with more words\n\nLicense-Expression: MIT\n',
    );
    assert.deepEqual(result, {
      ok: true,
      packages: [
        {
          name: 'Foo',
          version: '1.0',
          dev: undefined,
          licenses: ['BSD\nwith more words'],
          commit: undefined,
        },
      ],
    });
  });

  it('prefers License-Expression, then classifiers, then License, then License-File', () => {
    const licenses = (text: string) => {
      const result = parseCoreMetadata(`Name: a\nVersion: 1\n${text}`);
      return result.ok ? result.packages[0]?.licenses : undefined;
    };
    assert.deepEqual(licenses('License: MIT License text\nLicense-Expression: MIT OR Apache-2.0\n'), [
      'MIT OR Apache-2.0',
    ]);
    assert.deepEqual(licenses('License: X\nClassifier: License :: OSI Approved :: BSD License\n'), [
      'BSD License',
    ]);
    assert.deepEqual(licenses('License: X\nClassifier: License :: OSI Approved\n'), ['X']);
    assert.deepEqual(licenses('License-File: LICENSE\nLicense-File: NOTICE\n'), [
      'file://LICENSE',
      'file://NOTICE',
    ]);
    assert.deepEqual(licenses(''), []);
  });
});

describe('requirements', () => {
  it('keeps exact pins and drops ranges, wildcards, URLs, options and includes', () => {
    const text = [
      '-r base.txt',
      '-e git+https://github.com/a/b.git#egg=b',
      '--index-url https://pypi.example/simple',
      'a==1.0',
      'b[extra1, extra2] == 2.0.post1 ; python_version >= "3.8"',
      'c===3.0-local',
      'd==4.*',
      'e>=5.0',
      'f==6.0,<7',
      'g @ https://example.com/g-1.0.tar.gz',
      'https://example.com/h-1.0.tar.gz',
      './local/i',
      'J_K.L==8.0 \\',
      '    --hash=sha256:00 \\',
      '    --hash=sha256:11',
      'm==9.0#comment',
      '# n==10.0',
    ].join('\n');
    assert.deepEqual(namesAndVersions(text), [
      ['a', '1.0'],
      ['b', '2.0.post1'],
      ['c', '3.0-local'],
      ['J_K.L', '8.0'],
      ['m', '9.0'],
    ]);
  });

  it('decodes UTF-16 files by their byte-order mark', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('attrs==20.3.0\n', 'utf16le')]);
    assert.deepEqual(namesAndVersions(decodeText(utf16)), [['attrs', '20.3.0']]);
  });

  it('normalises names per PEP 503 for purls', () => {
    assert.equal(normalizeName('Friendly-Bard'), 'friendly-bard');
    assert.equal(normalizeName('FRIENDLY._-BARD'), 'friendly-bard');
    assert.equal(normalizeName('zope.interface'), 'zope-interface');
  });
});

describe('hostile input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        parseCoreMetadata(text);
        parseRequirements(text);
        parsePoetryLock(text);
        parsePipfileLock(text);
        parsePoetryLock(`[[package]]\n${text}`);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes as a zip, nor on JSON shapes in Pipfile.lock', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const zip = Buffer.from(bytes);
        readZipMember(zip, 'EGG-INFO/PKG-INFO', 1024);
        // A central directory pointing anywhere: append an end record claiming entries at offset 0.
        const end = Buffer.alloc(22);
        end.writeUInt32LE(0x06054b50, 0);
        end.writeUInt16LE(3, 10);
        readZipMember(Buffer.concat([zip, end]), 'EGG-INFO/PKG-INFO', 1024);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        parsePipfileLock(JSON.stringify({ default: value, develop: { a: value } }));
      }),
      { numRuns: 300 },
    );
  });

  it('caps what a zip member may inflate to', () => {
    const bomb = zipOf({ 'EGG-INFO/PKG-INFO': '\u0000'.repeat(4 * 1024 * 1024) });
    assert.ok(bomb.length < 16 * 1024, 'a small archive');
    const capped = readZipMember(bomb, 'EGG-INFO/PKG-INFO', 1024 * 1024);
    assert.equal(capped.ok, false);
    const read = readZipMember(bomb, 'EGG-INFO/PKG-INFO', 8 * 1024 * 1024);
    assert.equal(read.ok && read.content?.length, 4 * 1024 * 1024);
    assert.deepEqual(readZipMember(bomb, 'other', 1024), { ok: true, content: undefined });
  });

  it('handles huge fields and deeply nested TOML', () => {
    const huge = 'x'.repeat(8 * 1024 * 1024);
    assert.ok(parseCoreMetadata(`Name: a\nVersion: 1\nDescription: ${huge}\n`).ok);
    assert.ok(parseRequirements(`a==${huge}`).ok);
    assert.equal(parsePoetryLock(`a = ${'['.repeat(100_000)}`).ok, false);
  });
});
