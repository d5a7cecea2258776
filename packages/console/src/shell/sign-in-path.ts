/** The sign-in page, returning to `next` afterwards (only paths of this console: never another site). */
export function signInPath(next?: string): string {
  if (next === undefined || next === '/' || !isConsolePath(next)) return '/sign-in';
  return `/sign-in?next=${encodeURIComponent(next)}`;
}

/** A path on this origin: `/x`, not `//host/x` or `/\host` (which browsers read as another host). */
export function isConsolePath(path: string): boolean {
  return (
    path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') && !path.startsWith('/sign-in')
  );
}
