/**
 * A strict reader of the XML subset test reports use (XML 1.0, https://www.w3.org/TR/xml/): a
 * declaration, elements, attributes in double or single quotes, text, the five predefined entities
 * and character references, comments. It throws on anything not well formed (unclosed or
 * mismatched tags, a raw `<` or `&` where it may not be, duplicate attributes, characters XML
 * forbids) and returns the element tree, so a test can both check a JUnit file parses and read it.
 * No DTDs, CDATA or processing instructions beyond the declaration: a report using them fails.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text, entities resolved (text of children not included). */
  readonly text: string;
}

const name = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
/** XML 1.0's `Char` production, checked here on its own rather than with the code under test. */
function allowed(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const ok =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    if (!ok) return false;
  }
  return true;
}

const entities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw < at ${where}`);
  return raw.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare & at ${where}`);
    if (body in entities) return entities[body] ?? '';
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (!numeric) throw new Error(`unknown entity &${body}; at ${where}`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const char = String.fromCodePoint(code);
    if (!allowed(char)) {
      throw new Error(`character reference to a forbidden character at ${where}`);
    }
    return char;
  });
}

/** Parses a whole document and returns its root element; throws when it is not well formed. */
export function parseXml(document: string): XmlElement {
  if (!allowed(document)) throw new Error('document holds a character XML forbids');
  let at = 0;
  const declaration = /^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z][A-Za-z0-9._-]*")?\s*\?>/.exec(
    document,
  );
  if (declaration) at = declaration[0].length;
  const skipMisc = (): void => {
    for (;;) {
      const space = /^\s*/.exec(document.slice(at));
      at += space?.[0].length ?? 0;
      if (!document.startsWith('<!--', at)) return;
      const end = document.indexOf('-->', at + 4);
      if (end < 0) throw new Error(`unclosed comment at ${at}`);
      at = end + 3;
    }
  };

  const element = (): XmlElement => {
    if (document[at] !== '<') throw new Error(`expected an element at ${at}`);
    at++;
    const tag = name.exec(document.slice(at))?.[0];
    if (!tag) throw new Error(`bad element name at ${at}`);
    at += tag.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const gap = /^\s*/.exec(document.slice(at))?.[0] ?? '';
      at += gap.length;
      if (document.startsWith('/>', at)) {
        at += 2;
        return { name: tag, attributes, children: [], text: '' };
      }
      if (document[at] === '>') {
        at++;
        break;
      }
      if (gap.length === 0) throw new Error(`expected whitespace before an attribute at ${at}`);
      const attribute = /^([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(document.slice(at));
      if (!attribute?.[1]) throw new Error(`bad attribute at ${at}`);
      if (attribute[1] in attributes) throw new Error(`duplicate attribute ${attribute[1]} at ${at}`);
      attributes[attribute[1]] = decode((attribute[3] ?? attribute[4] ?? '').replace(/[\t\n\r]/g, ' '), at);
      at += attribute[0].length;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = document.indexOf('<', at);
      if (next < 0) throw new Error(`unclosed element ${tag}`);
      const raw = document.slice(at, next);
      if (raw.includes(']]>')) throw new Error(`]]> in text at ${at}`);
      text += decode(raw, at);
      at = next;
      if (document.startsWith('</', at)) {
        const close = /^<\/([A-Za-z_:][A-Za-z0-9_:.-]*)\s*>/.exec(document.slice(at));
        if (close?.[1] !== tag) throw new Error(`</${close?.[1] ?? '?'}> does not close <${tag}> at ${at}`);
        at += close[0].length;
        return { name: tag, attributes, children, text };
      }
      if (document.startsWith('<!--', at)) {
        const end = document.indexOf('-->', at + 4);
        if (end < 0) throw new Error(`unclosed comment at ${at}`);
        at = end + 3;
        continue;
      }
      if (document.startsWith('<!', at) || document.startsWith('<?', at)) {
        throw new Error(`unsupported markup at ${at}`);
      }
      children.push(element());
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (at !== document.length) throw new Error(`content after the root element at ${at}`);
  return root;
}

/** Every descendant element (depth first) with the given name. */
export function elementsNamed(root: XmlElement, wanted: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement): void => {
    if (node.name === wanted) found.push(node);
    node.children.forEach(walk);
  };
  walk(root);
  return found;
}
