/**
 * A tar header's size field is a claim. Found by the fuzzer (test/fuzz/tar-headers.test.ts): a
 * 512-byte layer whose one header names `var/lib/rpm/Packages` with a size of 500 MiB made the
 * walk allocate 500 MiB for the rpm analyzer before a single content byte arrived.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isDrydockError } from '../util/errors.ts';
import { dataBlocks, endMarker, rawHeader } from './tar-raw.ts';
import { TarReader } from './tar-reader.ts';

const MiB = 1024 * 1024;

describe('TarReader: collecting content of a claimed size', () => {
  it('allocates for the bytes that arrive, not for the size the header claims', () => {
    const reader = new TarReader();
    const before = process.memoryUsage().arrayBuffers;
    reader.push(
      Buffer.concat([rawHeader({ name: 'var/lib/rpm/Packages', size: 500 * MiB }), Buffer.alloc(4096, 1)]),
    );
    const entry = reader.next();
    assert.equal(entry?.kind, 'entry');
    reader.collect();
    assert.equal(reader.next(), undefined);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 64 * MiB, `collecting 4 KiB of a claimed 500 MiB took ${grown} bytes`);
    assert.throws(
      () => reader.end(),
      (error: unknown) => isDrydockError(error) && error.message.includes('ends inside an entry'),
    );
  });

  it('still hands over the whole content, exactly its size, when it spans many chunks and outgrows the first buffer', () => {
    const content = randomBytes(3 * MiB + 12_345);
    const archive = Buffer.concat([
      rawHeader({ name: 'big', size: content.length }),
      dataBlocks(content),
      endMarker,
    ]);
    const reader = new TarReader();
    let collected: Buffer | undefined;
    for (let offset = 0; offset < archive.length; offset += 100_000) {
      reader.push(archive.subarray(offset, offset + 100_000));
      for (let item = reader.next(); item !== undefined; item = reader.next()) {
        if (item.kind === 'entry') reader.collect();
        if (item.kind === 'content') collected = item.data;
      }
    }
    reader.end();
    assert.equal(collected?.length, content.length);
    assert.ok(collected.equals(content));
  });
});
