/**
 * A found password as shown to people: its first character, then one `*` per further character.
 * A one-character password is shown as `*` alone, since its first character is all of it.
 */
export function maskPassword(password: string): string {
  const characters = [...password];
  if (characters.length <= 1) return '*';
  return characters[0] + '*'.repeat(characters.length - 1);
}
