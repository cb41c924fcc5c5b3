#!/usr/bin/env node
// The `llmq` command on the PATH (`npm install -g .` from the checkout links it): it installs
// what is missing and runs the CLI on the pinned Node 26, whatever Node the machine has.
globalThis.llmqTask = ['llmq', ...process.argv.slice(2)];
await import('./bootstrap.mjs');
