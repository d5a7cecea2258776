#!/usr/bin/env node
// Launcher: runs the TypeScript entry point through tsx (registered here so `drydock` works from any directory).
import { register } from 'tsx/esm/api';
register();
// tsx turns source maps on; Node then measures every loaded module's lines (about 100 ms of a warm
// re-scan's 700). Stack traces only matter with DRYDOCK_DEBUG, which keeps them.
if (!process.env['DRYDOCK_DEBUG']) process.setSourceMapsEnabled(false);
await import('../src/main.ts');
