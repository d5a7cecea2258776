/**
 * Where bench/run-all.ts puts a run's section in bench/RESULTS.md: at the top, right below the
 * file's title line, newest first, the earlier sections kept as they were.
 */
export function withNewestSection(results: string, section: string): string {
  const titleEnd = results.indexOf('\n');
  if (titleEnd === -1) return `${results.trimEnd() || '# Benchmark results'}\n\n${section.trimEnd()}\n`;
  const title = results.slice(0, titleEnd);
  const rest = results.slice(titleEnd + 1).replace(/^\n+/, '');
  return `${title}\n\n${section.trimEnd()}\n${rest === '' ? '' : `\n${rest}`}`;
}
