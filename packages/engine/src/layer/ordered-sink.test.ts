import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderedLayerSinks } from './ordered-sink.ts';
import type { LayerEntry, LayerEntrySink } from './types.ts';

class Log implements LayerEntrySink {
  readonly ops: string[] = [];
  entry(entry: LayerEntry, layer: number): void {
    this.ops.push(`${layer}:+${entry.path}${entry.linkTarget ? `->${entry.linkTarget}` : ''}`);
  }
  whiteout(path: string, layer: number): void {
    this.ops.push(`${layer}:-${path}`);
  }
  opaque(directory: string, layer: number): void {
    this.ops.push(`${layer}:opaque ${directory}`);
  }
}

const file = (path: string): LayerEntry => ({ path, type: 'file', size: 1, mode: 0o644 });

describe('OrderedLayerSinks', () => {
  it('applies concurrently walked layers to the target strictly in layer order', () => {
    const log = new Log();
    const sinks = new OrderedLayerSinks(log, 3);
    sinks.sink(2).entry(file('c'), 2);
    sinks.sink(0).entry(file('a'), 0);
    sinks.sink(1).whiteout('a', 1);
    sinks.sink(1).entry({ path: 'l', type: 'symlink', size: 0, mode: 0o777, linkTarget: '/a' }, 1);
    sinks.sink(2).opaque('d', 2);
    assert.deepEqual(log.ops, ['0:+a'], 'only the first layer writes through');
    sinks.done(2);
    assert.deepEqual(log.ops, ['0:+a'], 'a finished later layer still waits for its predecessors');
    sinks.done(0);
    assert.deepEqual(log.ops, ['0:+a', '1:-a', '1:+l->/a']);
    sinks.sink(1).entry(file('b'), 1);
    assert.deepEqual(log.ops.at(-1), '1:+b', 'a layer whose turn came writes through');
    sinks.done(1);
    assert.deepEqual(log.ops, ['0:+a', '1:-a', '1:+l->/a', '1:+b', '2:+c', '2:opaque d']);
  });
});
