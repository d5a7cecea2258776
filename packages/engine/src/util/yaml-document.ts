import { LineCounter, parseDocument, type Document } from 'yaml';
import { yamlNestingProblem } from './yaml-nesting.ts';

export interface YamlDocument {
  readonly document: Document;
  readonly lines: LineCounter;
  /** The document as plain values; undefined when it has errors (`document.errors`). */
  readonly value: unknown;
}

/**
 * Parses a YAML document with line positions, as the project's own configuration files are read.
 * The YAML library recurses: nesting deep enough overflows the stack instead of reporting an error,
 * so that becomes `tooDeep(cause)`, the caller's own typed error; so does flow nesting deep enough
 * to be slow before it overflows (yaml-nesting.ts), found before parsing.
 */
export function parseYamlDocument(content: string, tooDeep: (cause: unknown) => Error): YamlDocument {
  const problem = yamlNestingProblem(content);
  if (problem !== undefined) throw tooDeep(new Error(problem));
  const lines = new LineCounter();
  try {
    const document = parseDocument(content, { lineCounter: lines, prettyErrors: false });
    return { document, lines, value: document.errors.length > 0 ? undefined : document.toJS() };
  } catch (error) {
    throw tooDeep(error);
  }
}

/**
 * Where the node at `path` starts in `yaml`, as `line N`, or where its nearest parent that exists
 * starts; undefined when not even the first key exists.
 */
export function lineOf(yaml: YamlDocument, path: readonly PropertyKey[]): string | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = yaml.document.getIn(path.slice(0, depth), true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      const offset: unknown = node.range[0];
      if (typeof offset === 'number') return `line ${yaml.lines.linePos(offset).line}`;
    }
  }
  return undefined;
}
