import { isDrydockError } from '@drydock/engine';
import type { SkippedEntry } from './lister-options.ts';
import type { ManifestInspector, TagDetails } from './manifest-inspector.ts';

/** Unreadable tags in a row after which the registry, not the tags, is taken to be failing. */
export const unreadableTagsInARow = 5;

/**
 * Reads each tag's details for a listing, going on without a tag whose manifest cannot be read
 * (a server error after the client's retries, a stall, a refusal): the tag is told to `onSkip`,
 * and the sync keeps what it knew of that image (sync-service.ts) instead of failing the whole
 * registry over one tag. A tag that is gone (`not_found`) is left out silently, as before.
 *
 * The listing still stops on a cancel, on an error that is not one of Drydock's typed errors (a
 * defect), and after `unreadableTagsInARow` unreadable tags in a row: that is the registry
 * failing, and going on would only wait out the retries of every tag left.
 */
export class UnreadableTags {
  readonly #inspector: ManifestInspector;
  readonly #onSkip: ((skipped: SkippedEntry) => void) | undefined;
  #inARow = 0;

  constructor(inspector: ManifestInspector, onSkip: ((skipped: SkippedEntry) => void) | undefined) {
    this.#inspector = inspector;
    this.#onSkip = onSkip;
  }

  /**
   * The details of `tag` in `entry.repository` (the repository as the registry's `/v2/` API names
   * it), or undefined when the listing goes on without it.
   */
  async inspect(
    entry: { readonly namespace: string; readonly repository: string },
    tag: string,
    signal: AbortSignal,
  ): Promise<TagDetails | undefined> {
    try {
      const details = await this.#inspector.inspect(entry.repository, tag, signal);
      this.#inARow = 0;
      return details;
    } catch (error) {
      if (signal.aborted || !isDrydockError(error)) throw error;
      this.#inARow += 1;
      if (this.#inARow >= unreadableTagsInARow) throw error;
      this.#onSkip?.({ ...entry, tag, code: error.code, message: error.message });
      return undefined;
    }
  }
}
