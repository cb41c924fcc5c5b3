#!/usr/bin/env node
// The `llmq` command: Node 26 runs the TypeScript source directly (no build step).
await import('../src/main.ts');
