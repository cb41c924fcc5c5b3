#!/usr/bin/env node
// The `llmq` command: Node 24 runs the TypeScript source directly (no build step).
await import('../src/main.ts');
