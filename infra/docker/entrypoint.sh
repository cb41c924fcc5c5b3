#!/bin/sh
# The image's one entry point: the first argument picks what runs. Each app is a `pnpm deploy`
# folder under $LLMQ_APP_ROOT; its TypeScript runs through tsx, because Node strips types
# only outside node_modules, and a deploy folder keeps the workspace packages there.
set -eu
root="${LLMQ_APP_ROOT:-/app}"
command="${1:-api}"
[ "$#" -gt 0 ] && shift
# The api keeps memory lean; a worker trades some memory for throughput (docs/architecture.md).
api_flags="--max-semi-space-size=4 --memory-saver-mode"
worker_flags="--max-semi-space-size=16"

# run FOLDER FLAGS ENTRY [arguments]
run() {
  cd "$root/$1"
  flags="$2"
  shift 2
  exec node $flags --import tsx "$@"
}

case "$command" in
  api) run api "$api_flags" src/main.ts "$@" ;;
  worker) run worker "$worker_flags" src/main.ts "$@" ;;
  migrate) run api "$api_flags" src/migrate.ts "$@" ;;
  llmq | cli) cd "$root/cli" && exec node --import tsx src/main.ts "$@" ;;
  *)
    echo "usage: api | worker | migrate | llmq [arguments]  (got: $command)" >&2
    exit 64
    ;;
esac
