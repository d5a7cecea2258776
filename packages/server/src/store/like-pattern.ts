/**
 * A LIKE/ILIKE pattern that matches rows containing `text` literally: its `%`, `_` and `\` are
 * escaped (PostgreSQL's default escape character is `\`), so a filter typed by a user is plain text.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
