/**
 * Loaded with `--import` by scripts/test.sh into every test file's process: V8 keeps the code it
 * compiles for the TypeScript modules (and Node the stripped sources) in the repository's
 * git-ignored .cache/, so the next of the 300 processes that import the engine or the service
 * reads them instead of stripping and compiling them again. Only this process's own loading is
 * affected: unlike NODE_COMPILE_CACHE, nothing passes to the child processes tests start, so the
 * CLI's own cache (packages/cli/bin/drydock.js) is tested as users get it.
 */
import module from 'node:module';
import { join } from 'node:path';

module.enableCompileCache(join(import.meta.dirname, '..', '..', '.cache', 'test-compile-cache'));
