/**
 * A small, strict XML 1.0 reader for the NuGet files read here (packages.config): elements,
 * attributes with the predefined and numeric entities, comments, processing instructions, CDATA
 * and a DOCTYPE without an internal subset (entities are never defined or expanded). Well-formedness
 * errors (a missing end tag, an unterminated construct) fail the document, as they fail NuGet.
 * No recursion: nesting depth cannot exhaust the stack. https://www.w3.org/TR/xml/
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
}

export type XmlResult =
  { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly error: string };

interface OpenElement {
  readonly name: string;
  readonly attributes: Map<string, string>;
  readonly children: XmlElement[];
}

const maxDepth = 256;
const namePattern = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;
const predefined: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string | undefined {
  let failed = false;
  const decoded = text.replace(/&([^;&]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) {
      failed = true;
      return match;
    }
    if (entity in predefined) return predefined[entity] ?? '';
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(entity);
    if (numeric === null) {
      failed = true;
      return match;
    }
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    if (!(code > 0 && code <= 0x10ffff)) {
      failed = true;
      return match;
    }
    return String.fromCodePoint(code);
  });
  return failed ? undefined : decoded;
}

/** Parses `name="value" name='value' ...` of a start tag. */
function parseAttributes(text: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>();
  const pattern = /\s*([^\s=]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/gy;
  const rest = /\s*$/y;
  let at = 0;
  for (;;) {
    rest.lastIndex = at;
    if (rest.test(text)) return attributes;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match === null || match.index !== at) return undefined;
    const [, name = '', double, single] = match;
    if (!namePattern.test(name) || attributes.has(name)) return undefined;
    const value = decodeEntities(double ?? single ?? '');
    if (value === undefined) return undefined;
    attributes.set(name, value);
    at = pattern.lastIndex;
  }
}

/** The `>` closing the tag that starts at `from`, skipping quoted attribute values; -1 when none. */
function tagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}

export function parseXml(input: string): XmlResult {
  const text = input.startsWith('\ufeff') ? input.slice(1) : input;
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let at = 0;
  const fail = (error: string): XmlResult => ({ ok: false, error });
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const chunk = text.slice(at, lt < 0 ? text.length : lt);
    if (chunk.trim() !== '') {
      if (stack.length === 0) return fail('text outside the root element');
      if (decodeEntities(chunk) === undefined) return fail('malformed entity reference');
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return fail('unterminated comment');
      at = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return fail('unterminated processing instruction');
      at = end + 2;
    } else if (text.startsWith('<![CDATA[', lt)) {
      if (stack.length === 0) return fail('CDATA outside the root element');
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return fail('unterminated CDATA section');
      at = end + 3;
    } else if (text.startsWith('<!DOCTYPE', lt)) {
      const end = text.indexOf('>', lt);
      if (end < 0) return fail('unterminated DOCTYPE');
      if (text.slice(lt, end).includes('[')) return fail('DOCTYPE internal subsets are not accepted');
      at = end + 1;
    } else if (text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt);
      if (end < 0) return fail('unexpected end of document in an end tag');
      const name = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) return fail(`end tag </${name}> does not match`);
      const element: XmlElement = { name: open.name, attributes: open.attributes, children: open.children };
      const parent = stack[stack.length - 1];
      if (parent === undefined) root = element;
      else parent.children.push(element);
      at = end + 1;
    } else {
      const end = tagEnd(text, lt);
      if (end < 0) return fail('unexpected end of document in a start tag');
      if (root !== undefined && stack.length === 0) return fail('more than one root element');
      const selfClosing = text[end - 1] === '/';
      const body = text.slice(lt + 1, selfClosing ? end - 1 : end);
      const nameEnd = body.search(/[\s]|$/);
      const name = body.slice(0, nameEnd);
      if (!namePattern.test(name)) return fail(`invalid element name ${JSON.stringify(name.slice(0, 40))}`);
      const attributes = parseAttributes(body.slice(nameEnd));
      if (attributes === undefined) return fail(`malformed attributes in <${name}>`);
      if (selfClosing) {
        const element: XmlElement = { name, attributes, children: [] };
        const parent = stack[stack.length - 1];
        if (parent === undefined) root = element;
        else parent.children.push(element);
      } else {
        if (stack.length >= maxDepth) return fail(`elements nested deeper than ${maxDepth}`);
        stack.push({ name, attributes, children: [] });
      }
      at = end + 1;
    }
  }
  if (stack.length > 0)
    return fail(`unexpected end of document: <${stack[stack.length - 1]?.name}> is not closed`);
  if (root === undefined) return fail('no root element');
  return { ok: true, root };
}
