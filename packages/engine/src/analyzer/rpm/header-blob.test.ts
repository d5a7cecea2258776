import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  headerBytes,
  headerString,
  headerStrings,
  headerUint32s,
  parseHeaderBlob,
  type HeaderResult,
  type RpmHeader,
} from './header-blob.ts';
import { packageFromBlob } from './rpm-package.ts';
import { rpmTag, rpmType } from './rpm-tags.ts';
import { buildHeaderBlob, buildPackageBlob } from './test-fixtures.ts';

function parsed(result: HeaderResult): RpmHeader {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.header;
}

function rejected(result: HeaderResult, pattern: RegExp, message?: string): void {
  assert.equal(result.ok, false, message);
  if (!result.ok) assert.match(result.reason, pattern);
}

/** A blob with its index entry `index` (counting the region entry) patched at byte `field` (0 tag, 4 type, 8 offset, 12 count). */
function patchEntry(blob: Buffer, index: number, field: 0 | 4 | 8 | 12, value: number): Buffer {
  const copy = Buffer.from(blob);
  copy.writeInt32BE(value | 0, 8 + index * 16 + field);
  return copy;
}

const sample = buildHeaderBlob([
  { tag: rpmTag.name, type: rpmType.string, value: 'bash' },
  {
    tag: rpmTag.summary,
    type: rpmType.i18nString,
    value: ['The GNU Bourne Again shell', 'Die GNU Bourne Again Shell'],
  },
  { tag: rpmTag.epoch, type: rpmType.int32, value: [2] },
  { tag: rpmTag.sigMd5, type: rpmType.bin, value: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]) },
  { tag: rpmTag.dirNames, type: rpmType.stringArray, value: ['/usr/bin/', '/etc/'] },
]);

describe('rpm header blob', () => {
  it('reads strings, i18n strings, INT32 and BIN entries inside a region', () => {
    const header = parsed(parseHeaderBlob(sample));
    assert.equal(headerString(header, rpmTag.name), 'bash');
    assert.equal(headerString(header, rpmTag.summary), 'The GNU Bourne Again shell');
    assert.deepEqual(headerUint32s(header, rpmTag.epoch), [2]);
    assert.deepEqual([...(headerBytes(header, rpmTag.sigMd5) ?? [])], [0xde, 0xad, 0xbe, 0xef]);
    assert.deepEqual(headerStrings(header, rpmTag.dirNames), ['/usr/bin/', '/etc/']);
    assert.equal(headerString(header, rpmTag.vendor), undefined);
    assert.equal(headerUint32s(header, rpmTag.name), undefined, 'a STRING is not read as INT32');
  });

  it('reads a legacy header without a region', () => {
    const blob = buildHeaderBlob([{ tag: rpmTag.name, type: rpmType.string, value: 'old' }], {
      region: false,
    });
    assert.equal(headerString(parsed(parseHeaderBlob(blob)), rpmTag.name), 'old');
  });

  it('lets a later entry of the same tag (a dribble after the region) replace the earlier one', () => {
    const blob = buildHeaderBlob([
      { tag: rpmTag.name, type: rpmType.string, value: 'first' },
      { tag: rpmTag.name, type: rpmType.string, value: 'second' },
    ]);
    assert.equal(headerString(parsed(parseHeaderBlob(blob)), rpmTag.name), 'second');
  });

  it('turns invalid UTF-8 into replacement characters instead of failing', () => {
    const latin1 = Buffer.from('caf\xe9\0', 'latin1');
    const blob = buildHeaderBlob([
      { tag: rpmTag.name, type: rpmType.string, value: 'x' },
      { tag: rpmTag.vendor, type: rpmType.bin, value: latin1 },
    ]);
    const header = parsed(parseHeaderBlob(patchEntry(patchEntry(blob, 2, 4, rpmType.string), 2, 12, 1)));
    assert.equal(headerString(header, rpmTag.vendor), 'caf\ufffd');
  });

  describe('refuses lying blobs with a reason, never an exception', () => {
    it('short or empty blobs', () => {
      rejected(parseHeaderBlob(Buffer.alloc(0)), /shorter than its preamble/);
      rejected(parseHeaderBlob(Buffer.alloc(7)), /shorter than its preamble/);
    });

    it('index counts and data lengths out of range or not matching the blob size', () => {
      const zero = Buffer.from(sample);
      zero.writeUInt32BE(0, 0);
      rejected(parseHeaderBlob(zero), /index count 0/);
      const huge = Buffer.from(sample);
      huge.writeUInt32BE(0xffffffff, 0);
      rejected(parseHeaderBlob(huge), /index count 4294967295/);
      const longData = Buffer.from(sample);
      longData.writeUInt32BE(0x7fffffff, 4);
      rejected(parseHeaderBlob(longData), /data length/);
      const lying = Buffer.from(sample);
      lying.writeUInt32BE(sample.readUInt32BE(4) + 1, 4);
      rejected(parseHeaderBlob(lying), /preamble says/);
      rejected(parseHeaderBlob(sample.subarray(0, sample.length - 1)), /preamble says/);
    });

    it('offsets outside the store, negative or misaligned', () => {
      rejected(parseHeaderBlob(patchEntry(sample, 1, 8, 0x7ffffff0)), /starts outside the data store/);
      rejected(parseHeaderBlob(patchEntry(sample, 1, 8, -4)), /overlaps/);
      rejected(
        parseHeaderBlob(patchEntry(sample, 3, 8, sample.readInt32BE(8 + 3 * 16 + 8) + 1)),
        /misaligned/,
      );
    });

    it('counts that overrun the store and strings without their terminator', () => {
      rejected(parseHeaderBlob(patchEntry(sample, 3, 12, 0x40000000)), /does not fit/);
      rejected(parseHeaderBlob(patchEntry(sample, 5, 12, 1000)), /does not fit/);
      rejected(parseHeaderBlob(patchEntry(sample, 1, 12, 2)), /does not fit/, 'a STRING has count 1');
      rejected(parseHeaderBlob(patchEntry(sample, 3, 12, 0)), /does not fit/, 'an empty INT32');
      const unterminated = buildHeaderBlob(
        [{ tag: rpmTag.sigMd5, type: rpmType.bin, value: Buffer.from('abc') }],
        {
          region: false,
        },
      );
      rejected(parseHeaderBlob(patchEntry(unterminated, 0, 4, rpmType.string)), /does not fit/);
    });

    it('overlapping entries, reserved tags, unknown types, NULL entries', () => {
      rejected(parseHeaderBlob(patchEntry(sample, 2, 8, 0)), /overlaps/);
      rejected(parseHeaderBlob(patchEntry(sample, 1, 0, 62)), /reserved tag/);
      rejected(parseHeaderBlob(patchEntry(sample, 1, 4, 10)), /unknown type/);
      rejected(parseHeaderBlob(patchEntry(sample, 1, 4, rpmType.null)), /does not fit/);
    });

    it('a region entry that is not a 16-byte BIN or whose trailer is wrong', () => {
      rejected(parseHeaderBlob(patchEntry(sample, 0, 12, 8)), /region entry/);
      rejected(parseHeaderBlob(patchEntry(sample, 0, 8, 0x10000000)), /region trailer lies outside/);
      const trailerAt = 8 + 6 * 16 + sample.readInt32BE(8 + 8);
      const wrongTag = Buffer.from(sample);
      wrongTag.writeUInt32BE(rpmTag.name, trailerAt);
      rejected(parseHeaderBlob(wrongTag), /no region tag/);
      const wrongSpan = Buffer.from(sample);
      wrongSpan.writeInt32BE(-7 * 16, trailerAt + 8);
      rejected(parseHeaderBlob(wrongSpan), /wrong number of entries/);
    });
  });

  it('survives any mutation of a real-shaped header (fast-check)', () => {
    const blob = buildPackageBlob({
      name: 'openssl-libs',
      epoch: 1,
      version: '1.1.1k',
      release: '7.el8_6',
      arch: 'x86_64',
      sourceRpm: 'openssl-1.1.1k-7.el8_6.src.rpm',
      license: 'OpenSSL and ASL 2.0',
      vendor: 'Red Hat, Inc.',
      files: ['/usr/lib64/libcrypto.so.1.1', '/usr/lib64/libssl.so.1.1', '/etc/pki/tls/openssl.cnf'],
    });
    const mutation = fc.record({
      writes: fc.array(
        fc.record({ at: fc.nat(blob.length - 1), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
        {
          maxLength: 6,
        },
      ),
      cut: fc.option(fc.nat(blob.length), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ writes, cut }) => {
        const copy = Buffer.from(blob);
        for (const { at, value } of writes) copy.writeInt32BE(value, Math.min(at, copy.length - 4));
        const result = packageFromBlob(cut === undefined ? copy : copy.subarray(0, cut));
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        assert.equal(typeof packageFromBlob(bytes).ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
