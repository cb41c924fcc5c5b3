// The entry point of `npm start`, `npm test` and the `llmq` command. It runs under whatever
// Node the machine has (Debian's may be 20), so it is plain JavaScript with no dependencies: it
// installs the workspace with the pinned pnpm when anything is missing or changed, then hands
// over to the Node 26 that the install put in node_modules/.bin.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = manifest.packageManager.split('@')[1];
const stampPath = join(root, 'node_modules', '.llmq-install-stamp');

// Memory-lean V8 settings, as every service process runs (see docs/architecture.md): a small
// young generation (Node's loader leaves ~100 MB of short-lived garbage resolving packages
// with large exports maps, like drizzle-orm), and memory-saver mode (spent upload buffers are
// collected sooner instead of piling up to V8's 64 MB external-memory threshold).
const serverFlags = ['--max-semi-space-size=4', '--memory-saver-mode'];

const tasks = {
  start: ['node', ...serverFlags, join(root, 'apps', 'api', 'src', 'main.ts')],
  test: ['vitest', 'run'],
  llmq: ['node', join(root, 'apps', 'cli', 'src', 'main.ts')],
};

// `llmq` runs from anywhere (a global install links scripts/llmq.mjs): its file arguments are
// relative to where the user is, and its stdout is the answer, so nothing else may go there.
const [task, ...rest] = globalThis.llmqTask ?? process.argv.slice(2);
if (!tasks[task]) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(tasks).join('|')}> [args...]`);
  process.exit(2);
}
const isCommand = task === 'llmq';

/** What the install depends on: the lockfile and every workspace manifest. */
function installFingerprint() {
  const hash = createHash('sha256');
  const files = ['pnpm-lock.yaml', 'package.json', 'pnpm-workspace.yaml'];
  for (const group of ['apps', 'packages', 'bench']) {
    const folder = join(root, group);
    if (!existsSync(folder)) continue;
    if (existsSync(join(folder, 'package.json'))) files.push(join(group, 'package.json'));
    for (const entry of readdirSync(folder)) {
      const candidate = join(group, entry, 'package.json');
      if (existsSync(join(root, candidate))) files.push(candidate);
    }
  }
  for (const file of files) {
    const path = join(root, file);
    hash.update(file);
    hash.update(existsSync(path) ? readFileSync(path) : '');
  }
  return hash.digest('hex');
}

function pnpmCommand() {
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() === pnpmVersion) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

function ensureInstalled() {
  const fingerprint = installFingerprint();
  const nodeBinary = join(root, 'node_modules', '.bin', 'node');
  if (
    existsSync(nodeBinary) &&
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === fingerprint
  ) {
    return;
  }
  const [command, ...prefix] = pnpmCommand();
  // CI installs exactly the lockfile; a developer who edited a manifest gets it updated.
  const args = [
    ...prefix,
    'install',
    ...(process.env.CI ? ['--frozen-lockfile'] : []),
    // pnpm's "Update available … curl | sh" box is advice for pnpm's users, not llmq's.
    '--config.update-notifier=false',
  ];
  console.error(`llmq: installing dependencies (${[command, ...args].join(' ')})`);
  // The command's stdout carries answers (`llmq … | jq`): the install talks on stderr.
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ['inherit', isCommand ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (isCommand && result.stdout) process.stderr.write(result.stdout);
  if (result.status !== 0) {
    console.error('llmq: the install failed; see the pnpm output above.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampPath, fingerprint);
}

/** The newest modification time of a file or of any file under a folder. */
function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

// The web console is the one part with a build (Vite); the api serves its output. It is built
// when missing or older than its sources, so that a fresh clone's `npm start` serves it.
function ensureWebConsoleBuilt(env) {
  const web = join(root, 'apps', 'web');
  const built = join(web, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) =>
    join(web, name),
  );
  const newestSource = Math.max(
    ...sources.map(newestChange),
    newestChange(join(root, 'pnpm-lock.yaml')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  console.error('llmq: building the web console (vite build apps/web)');
  const result = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', 'apps/web'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) {
    console.error('llmq: the web console did not build; see the output above.');
    process.exit(result.status ?? 1);
  }
}

/** Whether a command is on the PATH (or, for an absolute path, is there). */
function hasCommand(command) {
  if (command.startsWith('/')) return existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * What the tests drive besides Node: Debian's Chromium (the web console's end-to-end tests) and
 * curl and jq (the README's examples run as written). Installed when we may (root with apt-get,
 * as .ci/run does), else the run stops before any test, with the one command to run.
 */
const testTools = [
  { command: '/usr/bin/chromium', debianPackage: 'chromium', why: "the web console's tests" },
  { command: 'curl', debianPackage: 'curl', why: "the README's examples" },
  { command: 'jq', debianPackage: 'jq', why: "the README's examples" },
];

function ensureTestTools() {
  const missing = testTools.filter((tool) => !hasCommand(tool.command));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.debianPackage);
  const canInstall =
    process.getuid?.() === 0 &&
    spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (canInstall) {
    console.error(`llmq: the tests need ${packages.join(', ')}; installing (apt-get install)`);
    const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-q', ...packages], { stdio: 'inherit' });
    if (install && install.status === 0 && missing.every((tool) => hasCommand(tool.command))) {
      return;
    }
  }
  const needs = missing.map((tool) => `${tool.command} (${tool.why})`).join(', ');
  console.error(
    `llmq: npm test needs ${needs}, missing here.\n` +
      `Install them, then run npm test again:\n\n    sudo apt-get install -y ${packages.join(' ')}\n`,
  );
  process.exit(1);
}

ensureInstalled();
if (task === 'test') ensureTestTools();
const env = {
  ...process.env,
  // node_modules/.bin first, so `node` and every tool's shebang find the pinned Node 26.
  PATH: [join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
};
// The tests build their own copy of the console, in a folder of their own.
if (task === 'start') ensureWebConsoleBuilt(env);
const [command, ...args] = tasks[task];
const child = spawn(command, [...args, ...rest], {
  cwd: isCommand ? process.cwd() : root,
  stdio: 'inherit',
  env,
});
// Ctrl-C: the terminal sends SIGINT to the whole foreground process group, the child included,
// so passing it on would make it two (and `llmq chat` would end instead of cancelling the
// answer). The wrapper only ignores it, and waits for the child to decide what Ctrl-C means.
process.on('SIGINT', () => {});
// These may come to the wrapper alone (kill, a process manager stopping it): pass them on. When
// the child had one already (a closed terminal hangs up the group), a second changes nothing.
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  // A child ended by a signal exits as a shell reports it: 128 + the signal's number.
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
