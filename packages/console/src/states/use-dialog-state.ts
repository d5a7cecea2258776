import { useState } from 'react';

export interface DialogState<T> {
  /** Whether the dialog shows (false while it plays its closing animation too). */
  readonly open: boolean;
  /** What it was last opened with (kept while it closes, so its content does not jump). */
  readonly value: T | undefined;
  /** New on every opening: key the dialog with it so its form starts from its initial values. */
  readonly key: number;
  show(value: T): void;
  close(): void;
}

/**
 * A dialog's state. Ant Design keeps a form's store across openings, so a dialog reopened for
 * another object would show the last one's values; keying the dialog per opening avoids that.
 */
export function useDialogState<T>(): DialogState<T> {
  const [state, setState] = useState<{
    readonly open: boolean;
    readonly value: T | undefined;
    readonly key: number;
  }>({
    open: false,
    value: undefined,
    key: 0,
  });
  return {
    ...state,
    show: (value) => setState((current) => ({ open: true, value, key: current.key + 1 })),
    close: () => setState((current) => ({ ...current, open: false })),
  };
}
