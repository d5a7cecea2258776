import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readBerkeleyDb } from './berkeley-db.ts';
import type { DatabaseRead } from './database-read.ts';
import { packageFromBlob } from './rpm-package.ts';

const vectors = join(import.meta.dirname, '../../../../../../shared/testvectors/rpmdb');
/** RHEL 8 `Packages` with libuuid: page 1 holds record 0, page 2 record 1 whose value is an overflow chain over pages 3–22. */
const libuuid = readFileSync(join(vectors, 'db/libuuid/Packages'));
const pageSize = 4096;

function blobsOf(read: DatabaseRead): readonly Uint8Array[] {
  assert.ok(read.ok, read.ok ? '' : read.reason);
  return read.blobs;
}

function namesOf(read: DatabaseRead): string[] {
  return blobsOf(read).map((blob) => {
    const result = packageFromBlob(blob);
    return result.ok ? result.pkg.name : `! ${result.reason}`;
  });
}

function problemsOf(read: DatabaseRead): readonly string[] {
  assert.ok(read.ok, read.ok ? '' : read.reason);
  return read.problems;
}

function patched(
  base: Buffer,
  writes: readonly (readonly [offset: number, value: number, bytes: 1 | 2 | 4])[],
): Buffer {
  const copy = Buffer.from(base);
  for (const [offset, value, bytes] of writes) {
    if (bytes === 1) copy.writeUInt8(value, offset);
    else if (bytes === 2) copy.writeUInt16LE(value, offset);
    else copy.writeUInt32LE(value, offset);
  }
  return copy;
}

/**
 * The same database as a big-endian machine writes it, swapped field by field the way rpm's
 * bdb_ro swaps pages it reads (lib/backend/bdb_ro.c `bdb_swapmetapage`, `bdb_swappage`).
 */
function toBigEndian(little: Buffer): Buffer {
  const big = Buffer.from(little);
  const swap32 = (offset: number): void => void big.writeUInt32BE(little.readUInt32LE(offset), offset);
  const swap16 = (offset: number): void => void big.writeUInt16BE(little.readUInt16LE(offset), offset);
  for (let offset = 8; offset < 224; offset += 4) if (offset !== 24) swap32(offset);
  for (let page = 1; page * pageSize < little.length; page++) {
    const base = page * pageSize;
    for (const offset of [8, 12, 16]) swap32(base + offset);
    swap16(base + 20);
    swap16(base + 22);
    const type = little[base + 25];
    if (type !== 2 && type !== 13) continue;
    for (let index = 0; index < little.readUInt16LE(base + 20); index++) {
      swap16(base + 26 + 2 * index);
      const item = base + little.readUInt16LE(base + 26 + 2 * index);
      if (little[item] === 3) {
        swap32(item + 4);
        swap32(item + 8);
      }
    }
  }
  return big;
}

describe('Berkeley DB hash reader', () => {
  it('reads the RHEL 8 libuuid database, skipping record 0', () => {
    const read = readBerkeleyDb(libuuid);
    assert.deepEqual(namesOf(read), ['libuuid']);
    assert.deepEqual(problemsOf(read), []);
  });

  it('reads osv-scalibr Packages_epoch', () => {
    assert.deepEqual(
      namesOf(readBerkeleyDb(readFileSync(join(vectors, 'osv-scalibr/input/Packages_epoch')))),
      ['hello'],
    );
  });

  it('reads a big-endian database to the same blobs', () => {
    const big = toBigEndian(libuuid);
    assert.notDeepEqual(big, libuuid);
    assert.deepEqual(blobsOf(readBerkeleyDb(big)), blobsOf(readBerkeleyDb(libuuid)));
  });

  it('refuses what is not a readable hash database', () => {
    const reasons = [
      Buffer.alloc(0),
      Buffer.alloc(511),
      Buffer.from('asdf\n'),
      patched(libuuid, [[12, 0x053162, 4]]),
      patched(libuuid, [[16, 7, 4]]),
      patched(libuuid, [[20, 1000, 4]]),
      patched(libuuid, [[20, 1 << 17, 4]]),
      patched(libuuid, [[24, 1, 1]]),
      patched(libuuid, [[25, 9, 1]]),
    ].map((content) => {
      const read = readBerkeleyDb(content);
      assert.equal(read.ok, false);
      return read.ok ? '' : read.reason;
    });
    assert.deepEqual(reasons, [
      'file is too short for a Berkeley DB metadata page',
      'file is too short for a Berkeley DB metadata page',
      'file is too short for a Berkeley DB metadata page',
      'not a Berkeley DB hash database',
      'unsupported hash database version 7',
      'invalid page size 1000',
      'invalid page size 131072',
      'encrypted Berkeley DB databases are not supported',
      'page 0 is not a hash metadata page',
    ]);
  });

  describe('names a damaged record and keeps reading, never throwing or looping', () => {
    const valueItem = 2 * pageSize + 4079;
    const cases: readonly (readonly [string, Buffer, RegExp])[] = [
      [
        'an overflow chain that loops',
        patched(libuuid, [[5 * pageSize + 16, 4, 4]]),
        /overflow page 4 is used twice/,
      ],
      [
        'an overflow chain that leaves the file',
        patched(libuuid, [[10 * pageSize + 16, 999, 4]]),
        /missing page 999/,
      ],
      [
        'an overflow item claiming 4 GiB',
        patched(libuuid, [[valueItem + 8, 0xffffffff, 4]]),
        /4294967295 is impossible/,
      ],
      [
        'an overflow page longer than a page',
        patched(libuuid, [[22 * pageSize + 22, 5000, 2]]),
        /wrong length 5000/,
      ],
      ['an overflow page of length 0', patched(libuuid, [[7 * pageSize + 22, 0, 2]]), /wrong length 0/],
      [
        'an overflow chain through a hash page',
        patched(libuuid, [[valueItem + 4, 1, 4]]),
        /page 1 is not an overflow page/,
      ],
      [
        'a hash page under the wrong number',
        patched(libuuid, [[2 * pageSize + 8, 7, 4]]),
        /page 2 claims to be page 7/,
      ],
      [
        'a hash page with 5000 entries',
        patched(libuuid, [[2 * pageSize + 20, 5000, 2]]),
        /claims 5000 entries/,
      ],
      ['item offsets out of order', patched(libuuid, [[2 * pageSize + 28, 4095, 2]]), /out of order/],
      ['an item offset inside the index', patched(libuuid, [[2 * pageSize + 28, 27, 2]]), /out of order/],
      ['a duplicate-set item', patched(libuuid, [[valueItem, 2, 1]]), /unsupported item type 2/],
      [
        'an off-page item of the wrong size',
        patched(libuuid, [
          [2 * pageSize + 28, 4078, 2],
          [2 * pageSize + 4078, 3, 1],
        ]),
        /off-page item of 13 bytes/,
      ],
      [
        'a last page beyond the file',
        patched(libuuid, [[32, 100, 4]]),
        /truncated: last page 100, file holds 23 pages/,
      ],
    ];
    for (const [name, content, problem] of cases) {
      it(name, () => {
        const read = readBerkeleyDb(content);
        assert.ok(read.ok);
        assert.ok(
          read.problems.some((text) => problem.test(text)),
          JSON.stringify(read.problems),
        );
      });
    }

    it('a truncated file: what remains is read, the cut item named', () => {
      const read = readBerkeleyDb(libuuid.subarray(0, 10 * pageSize));
      assert.deepEqual(blobsOf(read), []);
      assert.deepEqual(problemsOf(read), [
        'database is truncated: last page 22, file holds 10 pages',
        'page 2 entry 0: overflow item length 80880 is impossible',
      ]);
    });
  });

  it('survives random damage to metadata, page headers and items (fast-check)', () => {
    const hotSpots = [0, 4, 8, 12, 16, 20, 24, 28, 32, pageSize, 2 * pageSize, 3 * pageSize, 22 * pageSize];
    const write = fc.record({
      at: fc.oneof(
        fc.constantFrom(...hotSpots).chain((base) => fc.nat(40).map((delta) => base + delta)),
        fc.constantFrom(2 * pageSize + 4079, 2 * pageSize + 4083, 2 * pageSize + 4087, 1 * pageSize + 4086),
        fc.nat(libuuid.length - 4),
      ),
      value: fc.oneof(fc.nat(30), fc.nat(0xffff), fc.nat(0xffffffff)),
    });
    const mutation = fc.record({
      writes: fc.array(write, { minLength: 1, maxLength: 5 }),
      bigEndian: fc.boolean(),
      cut: fc.option(fc.nat(libuuid.length), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ writes, bigEndian, cut }) => {
        const copy = Buffer.from(bigEndian ? toBigEndian(libuuid) : libuuid);
        for (const { at, value } of writes) copy.writeUInt32LE(value, Math.min(at, copy.length - 4));
        const read = readBerkeleyDb(cut === undefined ? copy : copy.subarray(0, cut));
        if (read.ok) for (const blob of read.blobs) assert.equal(typeof packageFromBlob(blob).ok, 'boolean');
      }),
      { numRuns: 1500 },
    );
  });
});
