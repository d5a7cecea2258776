/**
 * Characters XML 1.0 does not allow anywhere, even escaped (https://www.w3.org/TR/xml/#charsets):
 * C0 controls other than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
 * File names and excerpts from an image can hold any of them; they become U+FFFD so the document
 * still parses.
 */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

/** The text with every character outside XML's `Char` production replaced by U+FFFD. */
export function xmlCharacters(value: string): string {
  let out = '';
  // for...of walks code points: a paired surrogate is one code point, a lone one stays alone.
  for (const char of value) out += isXmlChar(char.codePointAt(0) ?? 0) ? char : '\uFFFD';
  return out;
}

/** Text content: `&` and `<` escaped, `>` too so `]]>` cannot appear. */
export function xmlText(value: string): string {
  return xmlCharacters(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A double-quoted attribute value. Tab, line feed and carriage return are written as character
 * references: a parser would otherwise normalise them to spaces (XML 1.0, 3.3.3).
 */
export function xmlAttribute(value: string): string {
  return xmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
