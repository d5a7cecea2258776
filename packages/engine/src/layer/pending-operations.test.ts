import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PendingOperations } from './pending-operations.ts';
import type { EntryType, LayerEntry, LayerEntrySink } from './types.ts';

type Operation =
  | { readonly op: 'entry'; readonly entry: LayerEntry }
  | { readonly op: 'whiteout' | 'opaque'; readonly path: string };

/** Every call a sink receives, as data. */
class Calls implements LayerEntrySink {
  readonly calls: (Operation & { readonly layer: number })[] = [];
  entry(entry: LayerEntry, layer: number): void {
    this.calls.push({ op: 'entry', entry, layer });
  }
  whiteout(path: string, layer: number): void {
    this.calls.push({ op: 'whiteout', path, layer });
  }
  opaque(path: string, layer: number): void {
    this.calls.push({ op: 'opaque', path, layer });
  }
}

function record(operations: readonly Operation[]): PendingOperations {
  const pending = new PendingOperations();
  for (const operation of operations) {
    if (operation.op === 'entry') pending.entry(operation.entry);
    else if (operation.op === 'whiteout') pending.whiteout(operation.path);
    else pending.opaque(operation.path);
  }
  return pending;
}

const types: readonly EntryType[] = ['file', 'directory', 'symlink', 'hardlink', 'other'];
// Any string a sink may see, lone surrogates included (no tar reader makes them, but nothing is lost).
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const anyPath = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('a', '/', 'é')) }),
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    op: fc.constant('entry' as const),
    entry: fc
      .record({
        path: anyPath,
        type: fc.constantFrom(...types),
        size: fc.oneof(fc.nat(), fc.constant(2 ** 40 + 3)),
        mode: fc.nat({ max: 0o177777 }),
        linkTarget: fc.option(anyPath, { nil: undefined }),
      })
      .map(({ linkTarget, ...entry }): LayerEntry =>
        linkTarget === undefined ? entry : { ...entry, linkTarget },
      ),
  }),
  fc.record({ op: fc.constantFrom('whiteout' as const, 'opaque' as const), path: anyPath }),
);

describe('PendingOperations', () => {
  it('replays every operation exactly, in order, as the given layer', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), fc.nat({ max: 511 }), (operations, layer) => {
        const pending = record(operations);
        assert.equal(pending.length, operations.length);
        const sink = new Calls();
        pending.replay(sink, layer);
        assert.deepStrictEqual(
          sink.calls,
          operations.map((item) => ({ ...item, layer })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a layer of many operations across its blocks, and forgets them once replayed', () => {
    const operations: Operation[] = [];
    for (let index = 0; index < 50_000; index++) {
      const path = `srv/records/${index % 97}/${index}-é-✓.json`;
      if (index % 1000 === 999) operations.push({ op: 'whiteout', path });
      else operations.push({ op: 'entry', entry: { path, type: 'file', size: index * 7, mode: 0o644 } });
    }
    const pending = record(operations);
    const sink = new Calls();
    pending.replay(sink, 3);
    assert.equal(sink.calls.length, operations.length);
    assert.deepStrictEqual(sink.calls[49_999], { ...operations[49_999], layer: 3 });
    assert.deepStrictEqual(sink.calls[20_000], { ...operations[20_000], layer: 3 });
    assert.equal(pending.length, 0);
    const again = new Calls();
    pending.replay(again, 3);
    assert.deepEqual(again.calls, []);
  });
});
