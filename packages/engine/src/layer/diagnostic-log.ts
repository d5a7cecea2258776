import type { DiagnosticCode, DiagnosticFact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';

/**
 * The diagnostics of one layer walk. A hostile layer can hold a million bad names, so each
 * (source, code) pair keeps its first `capPerKind` diagnostics and then only counts; one closing
 * diagnostic per pair says how many were left out.
 */
export class DiagnosticLog {
  readonly #layer: LayerRef;
  readonly #cap: number;
  readonly #facts: DiagnosticFact[] = [];
  readonly #counts = new Map<
    string,
    { readonly source: string; readonly code: DiagnosticCode; count: number }
  >();

  constructor(layer: LayerRef, capPerKind = 100) {
    this.#layer = layer;
    this.#cap = capPerKind;
  }

  add(source: string, code: DiagnosticCode, path: string, message: string): void {
    const key = `${source}\u0000${code}`;
    let counter = this.#counts.get(key);
    if (counter === undefined) {
      counter = { source, code, count: 0 };
      this.#counts.set(key, counter);
    }
    counter.count++;
    if (counter.count > this.#cap) return;
    this.#facts.push({ kind: 'diagnostic', layer: this.#layer, path, source, code, message });
  }

  facts(): DiagnosticFact[] {
    const facts = [...this.#facts];
    for (const { source, code, count } of this.#counts.values()) {
      if (count <= this.#cap) continue;
      const message = `${count - this.#cap} more ${code} diagnostics in this layer were not listed`;
      facts.push({ kind: 'diagnostic', layer: this.#layer, path: '', source, code, message });
    }
    return facts;
  }
}
