/**
 * Algorithm lists of sshd_config (Ciphers, MACs, KexAlgorithms) as sshd resolves them: a plain
 * list replaces the default, `+list` appends to it, `-patterns` removes matching names from it,
 * `^list` puts the names in front of it (sshd_config(5)).
 */

/**
 * Whether `name` matches an sshd wildcard pattern (`*` any run, `?` any one character), walked
 * without a regular expression: a long pattern from a hostile sshd_config made `new RegExp` throw
 * "Regular expression too large".
 */
function matchesWildcard(name: string, pattern: string): boolean {
  let at = 0;
  let next = 0;
  let star = -1;
  let starAt = 0;
  while (at < name.length) {
    const expected = pattern[next];
    if (expected === '?' || (expected !== undefined && expected !== '*' && expected === name[at])) {
      at++;
      next++;
    } else if (expected === '*') {
      star = next++;
      starAt = at;
    } else if (star !== -1) {
      next = star + 1;
      at = ++starAt;
    } else {
      return false;
    }
  }
  while (pattern[next] === '*') next++;
  return next === pattern.length;
}

function names(list: string): string[] {
  return list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export function resolveAlgorithms(value: string, defaults: string): string[] {
  const base = names(defaults);
  const first = value.charAt(0);
  const rest = names(value.slice(1));
  if (first === '+') return [...base, ...rest.filter((name) => !base.includes(name))];
  if (first === '^') return [...rest, ...base.filter((name) => !rest.includes(name))];
  if (first === '-') {
    return base.filter((name) => !rest.some((pattern) => matchesWildcard(name, pattern)));
  }
  return names(value);
}

export type AlgorithmKind = 'ciphers' | 'macs' | 'kexalgorithms';

/** Why an algorithm is weak, per kind; undefined for an algorithm with no known weakness. */
export function algorithmWeakness(kind: AlgorithmKind, name: string): string | undefined {
  const lower = name.toLowerCase();
  switch (kind) {
    case 'ciphers':
      if (lower.includes('arcfour')) return 'RC4 keystream biases';
      if (lower.includes('3des') || lower.includes('blowfish') || lower.includes('cast128')) {
        return '64-bit block cipher (Sweet32)';
      }
      if (lower.includes('cbc')) return 'CBC mode (plaintext recovery, CVE-2008-5161)';
      return undefined;
    case 'macs':
      if (lower.startsWith('hmac-md5')) return 'MD5-based MAC';
      if (/-96(?:-etm)?(?:@|$)/.test(lower)) return 'MAC truncated to 96 bits';
      return undefined;
    case 'kexalgorithms':
      if (lower.startsWith('diffie-hellman-group1-')) return '1024-bit group (Logjam) with SHA-1';
      if (/sha1(?:$|-)/.test(lower)) return 'SHA-1 key exchange hash';
      return undefined;
  }
}
