#!/usr/bin/env -S node --max-semi-space-size=4 --initial-old-space-size=64
// Launcher: runs the CLI's bundle, or the TypeScript entry point through tsx (registered here so
// `drydock` works from any directory). The `#!` line passes node-flags.js's flags (`env -S`: GNU
// coreutils 8.30 and later, macOS, FreeBSD); `node drydock.js` runs without them unless given.
import { mkdirSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleDir, bundleEntry, isBundleCurrent } from './bundle.js';

// V8 keeps the code it compiles for the CLI's modules on disk and reuses it in the next run (about
// 0.1 s of every scan, in the main thread and each worker). The cache belongs to the program, not
// to a scan's data, so it stays in the user's own ~/.cache/drydock even when DRYDOCK_CACHE_DIR
// points elsewhere (runs with a fresh data directory each still share it), and never in a shared
// temporary directory, where another local user could plant entries. NODE_DISABLE_COMPILE_CACHE
// turns it off; NODE_COMPILE_CACHE chooses another directory.
if (!process.env['NODE_COMPILE_CACHE'] && !process.env['NODE_DISABLE_COMPILE_CACHE']) {
  const directory = join(homedir(), '.cache', 'drydock', 'compile-cache');
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    // Worker threads start with a copy of this environment and read it to enable theirs.
    process.env['NODE_COMPILE_CACHE'] = directory;
    module.enableCompileCache(directory);
  } catch {
    // An unwritable home: run without the cache.
  }
}
// The bundle when it is current (bundle.js), else the TypeScript sources through tsx; both loaded
// after the cache is on, so that their modules come from it too. DRYDOCK_FROM_SOURCE=1 forces the
// sources.
if (!process.env['DRYDOCK_FROM_SOURCE'] && isBundleCurrent()) {
  if (process.env['DRYDOCK_DEBUG']) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(join(bundleDir, bundleEntry)).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // tsx turns source maps on; Node then measures every loaded module's lines (about 100 ms of a
  // warm re-scan's 700). Stack traces only matter with DRYDOCK_DEBUG, which keeps them.
  if (!process.env['DRYDOCK_DEBUG']) process.setSourceMapsEnabled(false);
  await import('../src/main.ts');
}
