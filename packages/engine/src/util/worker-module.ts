/**
 * The URL of a worker-thread module `name` beside the module at `from` (its `import.meta.url`), as
 * piscina loads it: `name.ts` under tsx (tests, the sources), `name.js` in the CLI's bundle. The
 * bundle puts every module in one folder, so worker module names are unique across the engine.
 */
export function workerModule(from: string, name: string): string {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from).href;
}
