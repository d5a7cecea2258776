#!/usr/bin/env node
// Launcher: runs the TypeScript entry point through tsx (registered here so `drydock` works from any directory).
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
