/**
 * Fuzzes a built-in analyzer through its own entry point, the way the layer walk calls it: the
 * analyzer contract says a bad file is a diagnostic fact, never an exception, so every input must
 * come back as a list of facts, within the call's time and memory bounds.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Analyzer, AnalyzedFile } from '../../packages/engine/src/analyzer/contract.ts';
import type { Fact } from '../../packages/engine/src/analyzer/fact.ts';
import { builtinAnalyzers } from '../../packages/engine/src/analyzer/registry.ts';
import { boundedCallAsync, nothingThrown } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';

const layer = { index: 0, digest: `sha256:${'0'.repeat(64)}`, diffId: undefined, createdBy: undefined };
const executableMode = 0o100755;
const regularMode = 0o100644;

export function builtinAnalyzer(id: string): Analyzer {
  const found = builtinAnalyzers.find((analyzer) => analyzer.id === id);
  if (found === undefined) throw new Error(`no built-in analyzer ${id}`);
  return found;
}

/** Whether the walk would hand `path` to `analyzer` (the same questions the walker's lookup asks). */
export function wants(analyzer: Analyzer, path: string, size: number, mode: number): boolean {
  const { paths, basenames, suffixes, prefixes, match } = analyzer.wants;
  const basename = path.slice(path.lastIndexOf('/') + 1);
  return (
    (paths?.includes(path) ?? false) ||
    (basenames?.includes(basename) ?? false) ||
    (suffixes?.some((suffix) => path.endsWith(suffix)) ?? false) ||
    (prefixes?.some((prefix) => path.startsWith(prefix)) ?? false) ||
    (match?.(path, size, mode) ?? false)
  );
}

async function analyze(analyzer: Analyzer, files: readonly AnalyzedFile[]): Promise<readonly Fact[]> {
  const context = { layer, signal: new AbortController().signal };
  if (analyzer.kind === 'group') return analyzer.analyzeGroup(files, context);
  const facts: Fact[] = [];
  for (const file of files) facts.push(...(await analyzer.analyze(file, context)));
  return facts;
}

export interface AnalyzerFuzzTarget {
  readonly analyzerId: string;
  /** Where the fuzzed file lies in the image. */
  readonly path: string;
  readonly inputs: fc.Arbitrary<Buffer>;
  /** Files the analyzer gets alongside the fuzzed one, unchanged (a group analyzer's other files). */
  readonly companions?: readonly AnalyzedFile[];
  readonly executable?: boolean;
  /** Share of FUZZ_RUNS for an analyzer that is dear per input. */
  readonly weight?: number;
}

export function regularFile(path: string, content: string | Buffer): AnalyzedFile {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return { path, size: bytes.length, mode: regularMode, content: bytes };
}

/** Asserts that the analyzer answers every input with facts, never an exception, hang or blow-up. */
export async function fuzzAnalyzer(target: AnalyzerFuzzTarget): Promise<void> {
  const analyzer = builtinAnalyzer(target.analyzerId);
  const mode = target.executable === true ? executableMode : regularMode;
  assert.ok(wants(analyzer, target.path, 64 * 1024, mode), `${analyzer.id} does not want ${target.path}`);
  const label = `analyzer ${analyzer.id} on ${target.path}`;
  await fc.assert(
    fc.asyncProperty(target.inputs, async (content) => {
      if (content.length > analyzer.wants.maxBytes) return;
      const file: AnalyzedFile = { path: target.path, size: content.length, mode, content };
      const facts = await boundedCallAsync(
        label,
        content,
        () => analyze(analyzer, [file, ...(target.companions ?? [])]),
        nothingThrown,
      );
      assert.ok(Array.isArray(facts), `${label} returned ${String(facts)}`);
    }),
    fuzzParameters(target.weight),
  );
}
