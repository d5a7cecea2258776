const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A password for an administrator to hand on (the user changes it after signing in): 20 characters
 * of an alphabet without look-alikes (l, 1, O, 0), from the browser's cryptographic generator.
 */
export function randomPassword(length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let password = '';
  for (const byte of bytes) {
    // Bytes past the last whole multiple of the alphabet would favour its first letters.
    if (byte >= alphabet.length * Math.floor(256 / alphabet.length)) continue;
    password += alphabet[byte % alphabet.length];
    if (password.length === length) break;
  }
  return password.length === length ? password : randomPassword(length);
}
