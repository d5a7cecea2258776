import type { FileStream } from '../contract.ts';
import type { Fact } from '../fact.ts';
import type { LayerRef } from '../layer-ref.ts';
import type { SecretRuleSet } from './rule-set.ts';
import { binaryHeadBytes, isBinaryContent, matchesAt, scanFileKeepingSecrets } from './scan-file.ts';
import type { SecretMatch } from './secret-match.ts';

/**
 * One file searched for secrets as its content streams by, on the calling thread, so that the walk
 * need not collect a copy of every file for the secret rules (bench/secret-malware.ts: copying
 * them was half a second of a debian-node scan):
 * - a file that arrives in one part (most do: it lies inside one decompressed chunk, or another
 *   analyzer read it whole) is searched in place, during `write`, without a copy;
 * - a binary file (a NUL in its first 8 KiB) that no file rule names is let go as soon as its head
 *   has passed: the content rules never read binary files;
 * - any other file is copied part by part into one buffer of its size and searched at `end`.
 * The facts are those `scanFile` gives for the whole content.
 */
export class SecretFileStream implements FileStream {
  readonly #rules: SecretRuleSet;
  readonly #path: string;
  readonly #size: number;
  readonly #layer: LayerRef;
  /** Whether a file rule names this path: then even a binary file is read whole. */
  readonly #named: boolean;
  #content: Buffer | undefined;
  #filled = 0;
  /** Set once the head showed a binary file that nothing here reads. */
  #passedOver = false;
  #found: { readonly matches: readonly SecretMatch[]; readonly secrets: readonly string[] } | undefined;

  constructor(rules: SecretRuleSet, path: string, size: number, layer: LayerRef) {
    this.#rules = rules;
    this.#path = path;
    this.#size = size;
    this.#layer = layer;
    this.#named = rules.fileRules.some((rule) => rule.path.test(path));
  }

  write(part: Buffer): void {
    if (this.#passedOver || this.#found !== undefined) return;
    if (this.#filled === 0 && part.length >= this.#size) {
      this.#search(part.length === this.#size ? part : part.subarray(0, this.#size));
      return;
    }
    const headMissing = Math.min(binaryHeadBytes, this.#size) - this.#filled;
    if (!this.#named && headMissing > 0 && part.length >= headMissing) {
      const head =
        this.#content === undefined
          ? part.subarray(0, headMissing)
          : Buffer.concat([this.#content.subarray(0, this.#filled), part.subarray(0, headMissing)]);
      if (isBinaryContent(head)) {
        this.#passedOver = true;
        this.#content = undefined;
        return;
      }
    }
    this.#content ??= Buffer.allocUnsafe(this.#size);
    this.#filled += part.copy(this.#content, this.#filled);
  }

  end(): readonly Fact[] {
    if (this.#found === undefined && !this.#passedOver && this.#content !== undefined) {
      this.#search(this.#content.subarray(0, this.#filled));
    }
    this.#content = undefined;
    return this.#facts(this.#found?.matches ?? []);
  }

  /**
   * The facts for a hardlink at `path`, known without the content where the same path-bound rules
   * apply at both names: a binary file passed over has none, any other the same matches under the
   * new name. Otherwise undefined: the walk then says the hardlink's target was not read.
   */
  linked(path: string): readonly Fact[] | undefined {
    if (this.#rules.pathBoundRulesAt(path) !== this.#rules.pathBoundRulesAt(this.#path)) return undefined;
    if (this.#passedOver) return [];
    const found = this.#found;
    return found === undefined ? undefined : this.#facts(matchesAt(found.matches, found.secrets, path));
  }

  #search(content: Buffer): void {
    const { result, secrets } = scanFileKeepingSecrets(this.#rules, this.#path, content);
    this.#found = { matches: result.matches, secrets };
  }

  #facts(matches: readonly SecretMatch[]): Fact[] {
    return matches.map((match): Fact => ({ kind: 'secret', layer: this.#layer, path: match.path, match }));
  }
}
