// Builds the CLI's bundle (packages/cli/bin/bundle.js says why): every module of @drydock/cli,
// @drydock/engine and @drydock/server in one folder, with the worker-thread entry points and the
// data files read beside their modules. Third-party packages are left to node_modules.
//   node scripts/build-cli.mjs [OUT_DIR [ENTRY]]   (default packages/cli/dist; about half a second)
// ENTRY bundles another main module in the CLI's place, named after its file (the benchmarks run
// bench/scan-child.ts so, as the CLI ships, not through tsx).
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { bundleDir, bundleEntry, manifestName } from '../packages/cli/bin/bundle.js';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? bundleDir);
const mainEntry = process.argv[3];
const staging = `${out}.building-${process.pid}`;
const engine = join(root, 'packages', 'engine', 'src');

/**
 * Bare imports (`kysely`, `@electric-sql/pglite`) stay imports, resolved at run time from the
 * bundle's folder; only the workspace's own packages are bundled. A package npm installed under one
 * workspace (not hoisted) would then not be found, so such an import fails the build instead.
 *
 * @type {import('esbuild').Plugin}
 */
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(builder) {
    const again = { resolvingAgain: true };
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@drydock/') || args.pluginData === again) return undefined;
      const resolve = (/** @type {string} */ resolveDir) =>
        builder.resolve(args.path, { kind: args.kind, resolveDir, pluginData: again });
      // From the folder that holds the bundle's (the same node_modules; it exists before the build).
      const [fromSource, fromBundle] = await Promise.all([resolve(args.resolveDir), resolve(dirname(out))]);
      if (fromSource.errors.length === 0 && fromSource.path !== fromBundle.path)
        return {
          errors: [
            {
              text: `${args.path} resolves to ${fromSource.path} from ${args.importer} but to ${fromBundle.path || 'nothing'} beside ${out}`,
            },
          ],
        };
      return { path: args.path, external: true };
    });
  },
};

// Files changed from here on are newer than the bundle. The margin covers the file system's
// coarse clock, which can stamp a write a few milliseconds before the time Date.now() gave.
const builtAt = Date.now() - 100;
rmSync(staging, { recursive: true, force: true });
mkdirSync(dirname(out), { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    ...(mainEntry === undefined
      ? { [bundleEntry.replace(/\.js$/, '')]: 'packages/cli/src/main.ts' }
      : { [basename(mainEntry).replace(/\.[cm]?[jt]s$/, '')]: mainEntry }),
    // Loaded by piscina by file name, as `./<name>.js` beside the module that starts the pool.
    'secret-worker': 'packages/engine/src/analyzer/secret/secret-worker.ts',
    'weak-password-worker': 'packages/engine/src/check/weak-password/weak-password-worker.ts',
  },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [thirdPartyExternal],
});
// Read with `import.meta.url` / `import.meta.dirname` by their modules, which now live in `out`.
for (const data of ['check/weak-password/password.lst', 'report/report.schema.json'])
  copyFileSync(join(engine, data), join(staging, data.slice(data.lastIndexOf('/') + 1)));
const inputs = Object.keys(result.metafile.inputs).map((input) => relative(out, join(root, input)));
writeFileSync(join(staging, manifestName), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);
rmSync(out, { recursive: true, force: true });
try {
  renameSync(staging, out);
} catch (error) {
  // Another build (a second setup at the same time) put its bundle there first: the same sources.
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  rmSync(staging, { recursive: true, force: true });
}
