import type { EntryType, LayerEntry, LayerEntrySink } from './types.ts';

/**
 * What a layer walk told the merged filesystem, kept so the layer can be applied again (at any
 * index, in any image) without its blob. One character per operation says what it was; the other
 * arrays hold only what that kind of operation needs, so a layer of a hundred thousand entries
 * is a few arrays of numbers and strings rather than a hundred thousand objects.
 *
 * `kinds`: `f` file, `d` directory, `s` symlink, `h` hardlink, `o` other (devices, fifos), in
 * upper case when the entry has a link target; `w` a whiteout, `q` an opaque directory.
 * `paths` has one element per operation, `modes` one per entry, `sizes` one per regular file
 * (other entries have size 0), `links` one per upper-case kind.
 */
export interface RecordedLayer {
  readonly kinds: string;
  readonly paths: readonly string[];
  readonly modes: readonly number[];
  readonly sizes: readonly number[];
  readonly links: readonly string[];
}

const kindOfType: Readonly<Record<EntryType, string>> = {
  file: 'f',
  directory: 'd',
  symlink: 's',
  hardlink: 'h',
  other: 'o',
};

const typeOfKind: Readonly<Record<string, EntryType>> = {
  f: 'file',
  d: 'directory',
  s: 'symlink',
  h: 'hardlink',
  o: 'other',
};

/**
 * Passes a walk's operations on to `target` and keeps a copy. Past `maxOperations` it stops
 * keeping them (`overflowed`): the copy of a layer with millions of entries would cost more memory
 * than walking the layer again costs time.
 */
export class LayerRecorder implements LayerEntrySink {
  readonly #target: LayerEntrySink;
  readonly #maxOperations: number;
  #kinds: string[] = [];
  #paths: string[] = [];
  #modes: number[] = [];
  #sizes: number[] = [];
  #links: string[] = [];
  #overflowed = false;

  constructor(target: LayerEntrySink, maxOperations: number) {
    this.#target = target;
    this.#maxOperations = maxOperations;
  }

  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** The operations so far; undefined once the recorder overflowed. */
  recorded(): RecordedLayer | undefined {
    if (this.#overflowed) return undefined;
    return {
      kinds: this.#kinds.join(''),
      paths: this.#paths,
      modes: this.#modes,
      sizes: this.#sizes,
      links: this.#links,
    };
  }

  entry(entry: LayerEntry, layerIndex: number): void {
    this.#target.entry(entry, layerIndex);
    if (!this.#room()) return;
    const kind = kindOfType[entry.type];
    this.#paths.push(entry.path);
    this.#modes.push(entry.mode);
    if (entry.type === 'file') this.#sizes.push(entry.size);
    if (entry.linkTarget === undefined) {
      this.#kinds.push(kind);
    } else {
      this.#kinds.push(kind.toUpperCase());
      this.#links.push(entry.linkTarget);
    }
  }

  whiteout(path: string, layerIndex: number): void {
    this.#target.whiteout(path, layerIndex);
    if (!this.#room()) return;
    this.#kinds.push('w');
    this.#paths.push(path);
  }

  opaque(directory: string, layerIndex: number): void {
    this.#target.opaque(directory, layerIndex);
    if (!this.#room()) return;
    this.#kinds.push('q');
    this.#paths.push(directory);
  }

  #room(): boolean {
    if (this.#overflowed) return false;
    if (this.#kinds.length < this.#maxOperations) return true;
    this.#overflowed = true;
    this.#kinds = [];
    this.#paths = [];
    this.#modes = [];
    this.#sizes = [];
    this.#links = [];
    return false;
  }
}

/**
 * Whether the arrays of a recording (read back from a cache, so possibly damaged) fit together:
 * every kind known, and as many paths, modes, sizes and links as the kinds call for. Checked
 * before anything is applied, so a damaged recording never half-fills a filesystem.
 */
export function isConsistentRecording(recorded: RecordedLayer): boolean {
  let entries = 0;
  let files = 0;
  let links = 0;
  for (const kind of recorded.kinds) {
    if (kind === 'w' || kind === 'q') continue;
    const lower = kind.toLowerCase();
    if (typeOfKind[lower] === undefined) return false;
    entries++;
    if (lower === 'f') files++;
    if (kind !== lower) links++;
  }
  return (
    recorded.paths.length === recorded.kinds.length &&
    recorded.modes.length === entries &&
    recorded.sizes.length === files &&
    recorded.links.length === links
  );
}

/** Applies a (checked) recording to `sink` as the walk of layer `layerIndex` would have. */
export function replayRecordedLayer(recorded: RecordedLayer, sink: LayerEntrySink, layerIndex: number): void {
  let entry = 0;
  let file = 0;
  let link = 0;
  for (let at = 0; at < recorded.kinds.length; at++) {
    const kind = recorded.kinds[at] ?? 'o';
    const path = recorded.paths[at] ?? '';
    if (kind === 'w') {
      sink.whiteout(path, layerIndex);
      continue;
    }
    if (kind === 'q') {
      sink.opaque(path, layerIndex);
      continue;
    }
    const lower = kind.toLowerCase();
    const type = typeOfKind[lower] ?? 'other';
    const size = type === 'file' ? (recorded.sizes[file++] ?? 0) : 0;
    const mode = recorded.modes[entry++] ?? 0;
    const linkTarget = kind === lower ? undefined : (recorded.links[link++] ?? '');
    sink.entry(
      linkTarget === undefined ? { path, type, size, mode } : { path, type, size, mode, linkTarget },
      layerIndex,
    );
  }
}
