/** The password hashes of /etc/shadow worth guessing, with where each one is. */
export interface ShadowHash {
  readonly account: string;
  readonly hash: string;
  /** 1-based line in the file. */
  readonly line: number;
}

/**
 * True for fields that cannot be guessed: empty (no password, the accounts check reports it),
 * locked (`!`, `!!`, `!$6$...`), disabled (`*`), and placeholders such as `x`, `NP` or `LK` that no
 * crypt(3) scheme produces (anything shorter than DES's 13 characters and not `$`-prefixed).
 */
function isUnguessable(field: string): boolean {
  return (
    field === '' ||
    field.startsWith('!') ||
    field.startsWith('*') ||
    (!field.startsWith('$') && field.length < 13)
  );
}

export function parseShadowHashes(shadow: string): ShadowHash[] {
  const hashes: ShadowHash[] = [];
  shadow.split('\n').forEach((text, index) => {
    const fields = text.replace(/\r$/, '').split(':');
    const account = fields[0] ?? '';
    const hash = fields[1];
    if (account === '' || hash === undefined || isUnguessable(hash)) return;
    hashes.push({ account, hash, line: index + 1 });
  });
  return hashes;
}
