/**
 * A path glob as a regular-expression source, anchored at both ends: `**` matches any number of
 * directories (`**\/` also none), `*` anything within one path segment, `?` one character of it,
 * `{a,b}` either; everything else is literal. A glob without `/` matches the base name in any directory
 * (`*.pem`), as .gitignore does; a leading `/` anchors it at the image root.
 */
export function globToRegExpSource(glob: string): string {
  let source = '';
  let inBraces = false;
  const body = glob.replace(/^\.?\//, '');
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? '';
    if (char === '*' && body[i + 1] === '*') {
      const slash = body[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      inBraces = true;
      source += '(?:';
    } else if (char === '}' && inBraces) {
      inBraces = false;
      source += ')';
    } else if (char === ',' && inBraces) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const anywhere = !glob.includes('/') || glob.startsWith('**/');
  return `^${anywhere && !glob.startsWith('**/') ? '(?:.*/)?' : ''}${source}(?:/.*)?$`;
}
