#!/bin/sh
# The image's one entry point: the first argument picks what runs. Each app is a `pnpm deploy`
# folder under $LLMQ_APP_ROOT; its TypeScript runs through tsx, because Node strips types
# only outside node_modules, and a deploy folder keeps the workspace packages there.
set -eu
root="${LLMQ_APP_ROOT:-/app}"
command="${1:-api}"
[ "$#" -gt 0 ] && shift
flags="--max-semi-space-size=4 --memory-saver-mode"

run() {
  cd "$root/$1"
  shift
  exec node $flags --import tsx "$@"
}

case "$command" in
  api) run api src/main.ts "$@" ;;
  worker) run worker src/main.ts "$@" ;;
  migrate) run api src/migrate.ts "$@" ;;
  llmq | cli) cd "$root/cli" && exec node --import tsx src/main.ts "$@" ;;
  *)
    echo "usage: api | worker | migrate | llmq [arguments]  (got: $command)" >&2
    exit 64
    ;;
esac
