#!/usr/bin/env node
// The `vrs` command: runs the TypeScript sources through tsx (no build step needed from a checkout).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
