import type { LayerEntry, LayerEntrySink } from './types.ts';

const opEntry = 0;
const opWhiteout = 1;
const opOpaque = 2;

/**
 * Lets layers be walked concurrently while the merged filesystem still sees them strictly in
 * order (whiteouts only make sense against the layers below). A layer whose predecessors are all
 * applied writes straight through; a layer that runs ahead records its operations compactly and
 * replays them the moment its turn comes, then writes straight through for the rest of its walk.
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
  // Recorded operations in parallel arrays: far smaller than one object per entry.
  #ops: number[] = [];
  #paths: string[] = [];
  #sizes: number[] = [];
  #modes: number[] = [];
  #types: LayerEntry['type'][] = [];
  #links = new Map<number, string>();
  #layer = -1;

  constructor(target: LayerEntrySink, live: boolean) {
    this.#target = target;
    this.#live = live;
  }

  goLive(): void {
    if (this.#live) return;
    const layer = this.#layer;
    for (let i = 0; i < this.#ops.length; i++) {
      const path = this.#paths[i] ?? '';
      switch (this.#ops[i]) {
        case opEntry: {
          const linkTarget = this.#links.get(i);
          const entry: LayerEntry = {
            path,
            type: this.#types[i] ?? 'other',
            size: this.#sizes[i] ?? 0,
            mode: this.#modes[i] ?? 0,
            ...(linkTarget === undefined ? {} : { linkTarget }),
          };
          this.#target.entry(entry, layer);
          break;
        }
        case opWhiteout:
          this.#target.whiteout(path, layer);
          break;
        case opOpaque:
          this.#target.opaque(path, layer);
          break;
      }
    }
    this.#ops = [];
    this.#paths = [];
    this.#sizes = [];
    this.#modes = [];
    this.#types = [];
    this.#links = new Map();
    this.#live = true;
  }

  #record(op: number, path: string, layerIndex: number): number {
    this.#layer = layerIndex;
    this.#ops.push(op);
    this.#paths.push(path);
    return this.#ops.length - 1;
  }

  entry(entry: LayerEntry, layerIndex: number): void {
    if (this.#live) {
      this.#target.entry(entry, layerIndex);
      return;
    }
    const at = this.#record(opEntry, entry.path, layerIndex);
    this.#sizes[at] = entry.size;
    this.#modes[at] = entry.mode;
    this.#types[at] = entry.type;
    if (entry.linkTarget !== undefined) this.#links.set(at, entry.linkTarget);
  }

  whiteout(path: string, layerIndex: number): void {
    if (this.#live) this.#target.whiteout(path, layerIndex);
    else this.#record(opWhiteout, path, layerIndex);
  }

  opaque(directory: string, layerIndex: number): void {
    if (this.#live) this.#target.opaque(directory, layerIndex);
    else this.#record(opOpaque, directory, layerIndex);
  }
}
