/**
 * The session's CSRF token, which the sign-in reply carries and every write must send back in
 * `x-csrf-token`. The session cookie is httpOnly, so the token is the console's only proof that it
 * holds the session: kept in memory, and in sessionStorage so a reload of the tab keeps it (a new
 * tab has none and asks to sign in again before its first write).
 */
export interface CsrfStore {
  get(): string | undefined;
  set(token: string): void;
  clear(): void;
}

const storageKey = 'drydock.csrfToken';

/** A store over `storage` (the tab's sessionStorage in the browser); undefined storage keeps memory only. */
export function createCsrfStore(storage: Storage | undefined): CsrfStore {
  let token: string | undefined = storage?.getItem(storageKey) ?? undefined;
  return {
    get: () => token,
    set: (value) => {
      token = value;
      storage?.setItem(storageKey, value);
    },
    clear: () => {
      token = undefined;
      storage?.removeItem(storageKey);
    },
  };
}
