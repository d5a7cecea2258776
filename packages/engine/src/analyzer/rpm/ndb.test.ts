import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DatabaseRead } from './database-read.ts';
import { readNdb } from './ndb.ts';
import { packageFromBlob } from './rpm-package.ts';
import { buildNdb, buildPackageBlob } from './test-fixtures.ts';

const vectors = join(import.meta.dirname, '../../../../../../shared/testvectors/rpmdb');
const sle15 = readFileSync(join(vectors, 'db/sle15-bci/Packages.db'));
const built = buildNdb([
  buildPackageBlob({ name: 'first' }),
  buildPackageBlob({ name: 'second', files: ['/a/b'] }),
]);
/** In `built`: slot 2 (bytes 32–47) and slot 3 (48–63); blobs start at block 256 (byte 4096). */
const firstBlob = 4096;

function namesOf(read: DatabaseRead): string[] {
  assert.ok(read.ok, read.ok ? '' : read.reason);
  return read.blobs.map((blob) => {
    const result = packageFromBlob(blob);
    return result.ok ? result.pkg.name : `! ${result.reason}`;
  });
}

function patched(
  writes: readonly (readonly [offset: number, value: number])[],
  base: Buffer = built,
): Buffer {
  const copy = Buffer.from(base);
  for (const [offset, value] of writes) copy.writeUInt32LE(value, offset);
  return copy;
}

function reasonOf(read: DatabaseRead): string {
  assert.equal(read.ok, false);
  return read.ok ? '' : read.reason;
}

describe('ndb reader', () => {
  it('reads the SLE 15 BCI Packages.db in slot order', () => {
    const names = namesOf(readNdb(sle15));
    assert.equal(names.length, 35);
    assert.deepEqual(names.slice(0, 3), ['system-user-root', 'filesystem', 'glibc']);
  });

  it('reads a database written by the test builder', () => {
    const read = readNdb(built);
    assert.deepEqual(namesOf(read), ['first', 'second']);
    assert.ok(read.ok);
    assert.deepEqual(read.problems, []);
  });

  it('refuses what is not a readable ndb database', () => {
    assert.deepEqual(
      [
        Buffer.alloc(0),
        Buffer.from('RpmP'),
        patched([[0, 0x12345678]]),
        patched([[4, 1]]),
        patched([[12, 0]]),
        patched([[12, 1000]]),
        patched([[12, 0xffffffff]]),
        patched([[48, 0]]),
      ].map((content) => reasonOf(readNdb(content))),
      [
        'file is too short for an ndb header',
        'file is too short for an ndb header',
        'not an rpm ndb database',
        'unsupported ndb version 1',
        `ndb header claims 0 slot pages in a file of ${built.length} bytes`,
        `ndb header claims 1000 slot pages in a file of ${built.length} bytes`,
        `ndb header claims 4294967295 slot pages in a file of ${built.length} bytes`,
        'slot 3 has no slot magic',
      ],
    );
  });

  describe('names a damaged package and keeps the others', () => {
    const secondSlot = 48;
    const cases: readonly (readonly [string, Buffer, string])[] = [
      [
        'a slot past the end of the file',
        patched([[secondSlot + 8, 0x10000000]]),
        'slot 3 points outside the data area',
      ],
      [
        'a slot with a huge block count',
        patched([[secondSlot + 12, 0xffffffff]]),
        'slot 3 points outside the data area',
      ],
      ['a slot inside the slot pages', patched([[secondSlot + 8, 3]]), 'slot 3 points outside the data area'],
      [
        'a used slot without package index',
        patched([[secondSlot + 4, 0]]),
        'slot 3 points outside the data area',
      ],
      [
        'two slots sharing blocks',
        patched([[secondSlot + 8, 256]]),
        "slot 3 overlaps another package's blocks",
      ],
      ['a blob without its head magic', patched([[firstBlob, 0]]), 'package 1: bad blob header'],
      ['a blob of another package', patched([[firstBlob + 4, 9]]), 'package 1: bad blob header'],
      [
        'a blob length that disagrees with the slot',
        patched([[firstBlob + 12, 5000]]),
        'package 1: bad blob header',
      ],
    ];
    for (const [name, content, problem] of cases) {
      it(name, () => {
        const read = readNdb(content);
        assert.ok(read.ok);
        assert.deepEqual(read.problems, [problem]);
        assert.equal(read.blobs.length, 1);
      });
    }

    it('a blob tail without its magic or with another length', () => {
      const end = (built.readUInt32LE(32 + 8) + built.readUInt32LE(32 + 12)) * 16;
      for (const content of [patched([[end - 4, 0]]), patched([[end - 8, 1]])]) {
        const read = readNdb(content);
        assert.deepEqual(namesOf(read), ['second']);
        assert.ok(read.ok);
        assert.deepEqual(read.problems, ['package 1: bad blob tail']);
      }
    });
  });

  it('survives random damage (fast-check)', () => {
    const write = fc.record({
      at: fc.oneof(
        fc.nat(80),
        fc.nat(64).map((delta) => firstBlob + delta),
        fc.nat(built.length - 4),
      ),
      value: fc.oneof(fc.nat(300), fc.nat(0xffffffff)),
    });
    fc.assert(
      fc.property(
        fc.array(write, { minLength: 1, maxLength: 5 }),
        fc.option(fc.nat(built.length)),
        (writes, cut) => {
          const copy = Buffer.from(built);
          for (const { at, value } of writes) copy.writeUInt32LE(value, Math.min(at, copy.length - 4));
          const read = readNdb(cut === null ? copy : copy.subarray(0, cut));
          if (read.ok)
            for (const blob of read.blobs) assert.equal(typeof packageFromBlob(blob).ok, 'boolean');
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(sle15.length - 4), fc.nat(0xffffffff), (at, value) => {
        const copy = Buffer.from(sle15);
        copy.writeUInt32LE(value, at < 8192 ? at - (at % 4) : at);
        const read = readNdb(copy);
        if (read.ok) for (const blob of read.blobs) assert.equal(typeof packageFromBlob(blob).ok, 'boolean');
      }),
      { numRuns: 200 },
    );
  });
});
