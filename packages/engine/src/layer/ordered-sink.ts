import { PendingOperations } from './pending-operations.ts';
import type { LayerEntry, LayerEntrySink } from './types.ts';

/**
 * Lets layers be walked concurrently while the merged filesystem still sees them strictly in
 * order (whiteouts only make sense against the layers below). A layer whose predecessors are all
 * applied writes straight through; a layer that runs ahead records its operations compactly
 * (`PendingOperations`) and replays them the moment its turn comes, then writes straight through for the rest of its walk.
 */
export class OrderedLayerSinks {
  readonly #target: LayerEntrySink;
  readonly #sinks: LayerSinkInOrder[] = [];
  #applied = 0;

  constructor(target: LayerEntrySink, layers: number) {
    this.#target = target;
    for (let index = 0; index < layers; index++) this.#sinks.push(new LayerSinkInOrder(target, index === 0));
  }

  /** The sink for layer `index`; pass it to that layer's walk. */
  sink(index: number): LayerEntrySink {
    const sink = this.#sinks[index];
    if (!sink) throw new RangeError(`no layer ${index}`);
    return sink;
  }

  /** Marks layer `index` as completely walked; later layers that waited for it take their turn. */
  done(index: number): void {
    const sink = this.#sinks[index];
    if (!sink) throw new RangeError(`no layer ${index}`);
    sink.finished = true;
    while (this.#applied < this.#sinks.length) {
      const current = this.#sinks[this.#applied];
      if (!current?.finished) break;
      this.#applied++;
      this.#sinks[this.#applied]?.goLive();
    }
  }

  get target(): LayerEntrySink {
    return this.#target;
  }
}

class LayerSinkInOrder implements LayerEntrySink {
  finished = false;
  #live: boolean;
  readonly #target: LayerEntrySink;
  #pending: PendingOperations | undefined;
  #layer = -1;

  constructor(target: LayerEntrySink, live: boolean) {
    this.#target = target;
    this.#live = live;
    this.#pending = live ? undefined : new PendingOperations();
  }

  goLive(): void {
    if (this.#live) return;
    this.#pending?.replay(this.#target, this.#layer);
    this.#pending = undefined;
    this.#live = true;
  }

  entry(entry: LayerEntry, layerIndex: number): void {
    if (this.#live) {
      this.#target.entry(entry, layerIndex);
      return;
    }
    this.#layer = layerIndex;
    this.#pending?.entry(entry);
  }

  whiteout(path: string, layerIndex: number): void {
    if (this.#live) {
      this.#target.whiteout(path, layerIndex);
      return;
    }
    this.#layer = layerIndex;
    this.#pending?.whiteout(path);
  }

  opaque(directory: string, layerIndex: number): void {
    if (this.#live) {
      this.#target.opaque(directory, layerIndex);
      return;
    }
    this.#layer = layerIndex;
    this.#pending?.opaque(directory);
  }
}
