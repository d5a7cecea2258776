import { useState } from 'react';
import type { KeysetCursor } from './keyset-paging.ts';

export interface KeysetPages {
  /** 1-based. */
  readonly page: number;
  /** Where the current page starts; undefined on the first (newest) page. */
  readonly cursor: KeysetCursor | undefined;
  older(next: KeysetCursor): void;
  newer(): void;
  newest(): void;
}

/**
 * The pages a user went through, as a stack of cursors (the way back is remembered, since the API
 * cannot count back). A new `scope` (another filter, another page size) starts again at the newest.
 */
export function useKeysetPages(scope: string): KeysetPages {
  const [state, setState] = useState<{
    readonly scope: string;
    readonly cursors: readonly KeysetCursor[];
  }>({ scope, cursors: [] });
  const cursors = state.scope === scope ? state.cursors : [];
  return {
    page: cursors.length + 1,
    cursor: cursors.at(-1),
    older: (next) => setState({ scope, cursors: [...cursors, next] }),
    newer: () => setState({ scope, cursors: cursors.slice(0, -1) }),
    newest: () => setState({ scope, cursors: [] }),
  };
}
