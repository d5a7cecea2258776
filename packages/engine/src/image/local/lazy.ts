/**
 * A value computed once on first use and shared by concurrent callers. A failure is not kept: the
 * next call tries again (an aborted describe must not poison a later select).
 */
export class Lazy<T> {
  readonly #compute: (signal: AbortSignal) => Promise<T>;
  #pending: Promise<T> | undefined;

  constructor(compute: (signal: AbortSignal) => Promise<T>) {
    this.#compute = compute;
  }

  get(signal: AbortSignal): Promise<T> {
    if (!this.#pending) {
      const pending = this.#compute(signal);
      this.#pending = pending;
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  /** The value when it was computed successfully, without starting a computation. */
  async peek(): Promise<T | undefined> {
    return this.#pending?.catch(() => undefined);
  }
}
