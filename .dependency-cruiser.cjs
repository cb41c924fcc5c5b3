// The dependency rule of DESIGN.md section 2, checked by `pnpm deps` (a step of .ci/run):
// imports point apps → (metrics, tracing) → engine → (db, storage, queue) → contracts → core;
// plugins import core only; nothing imports an app; no cycle at run time; the api's routes read
// through `@llmq/db/reads` and write through the engine. docs/architecture.md draws this table.
//
// Modules are matched by their resolved path: a workspace import (`@llmq/db`) resolves through
// the package's `exports` to `packages/db/src/index.ts`, so `^packages/db/` is the package.

/** Test code: test files, fixtures and the web console's end-to-end tests. */
const testCode = '(\\.test\\.ts|\\.fixture\\.ts)$|^apps/web/e2e/';

/**
 * Which workspace packages each package's own code may import (its own modules aside). Test
 * code may import the same, plus `@llmq/testing` (the test helpers, which import nothing of
 * ours, so no cycle comes of it) and whatever `testExtras` adds.
 */
const packages = {
  core: { imports: [] },
  contracts: { imports: ['core'] },
  db: { imports: ['contracts', 'core'] },
  storage: { imports: ['contracts', 'core'] },
  queue: { imports: ['contracts', 'core'] },
  engine: {
    imports: ['db', 'storage', 'queue', 'contracts', 'core'],
    // The engine's integration tests run real models through the registry, wired the way an
    // app wires them: the deterministic echo model (engine.fixture.ts, run-prompt-job) and the
    // OpenAI plugin against a local server (model-limits). Production engine code never does.
    testExtras: ['plugin-echo', 'plugin-openai'],
  },
  metrics: { imports: ['engine', 'db', 'storage', 'queue', 'contracts', 'core'] },
  tracing: { imports: ['engine', 'db', 'storage', 'queue', 'contracts', 'core'] },
  // The processes' logger (format, pretty lines, redaction): pino alone, nothing of ours.
  logging: { imports: [] },
  'plugin-echo': { imports: ['core'] },
  'plugin-openai': { imports: ['core'] },
  'plugin-anthropic': { imports: ['core'] },
  client: { imports: ['contracts', 'core'] },
  testing: { imports: [] },
};

/**
 * Which workspace packages each app's own code may import. Test code of an app may import any
 * package: it arranges and inspects the world the app runs in (the worker fleet fixture creates
 * batches with db's writes, the front-door fuzz test counts rows on a database of its own).
 */
const everyPackageButTestHelpers = Object.keys(packages).filter(
  (name) => name !== 'testing' && name !== 'client',
);
const apps = {
  // The api is a composition root: it wires plugins, queue, storage and the engine. It reads
  // db only through `@llmq/db/reads` (the rule `api-reads-db-through-reads`).
  api: { imports: everyPackageButTestHelpers },
  worker: { imports: everyPackageButTestHelpers.filter((name) => name !== 'db') },
  // The cli and the web console are clients of the HTTP API.
  cli: { imports: ['client', 'contracts'] },
  web: { imports: ['client', 'contracts'] },
};

const alternatives = (names) => names.join('|');

function packageRules(name, { imports, testExtras = [] }) {
  const own = [name, ...imports];
  return [
    {
      name: `${name}-imports-only-${imports.length ? imports.join('-') : 'nothing-of-ours'}`,
      comment: `@llmq/${name} may import ${imports.length ? imports.map((each) => `@llmq/${each}`).join(', ') : 'no package of ours'} (DESIGN.md section 2)`,
      severity: 'error',
      from: { path: `^packages/${name}/`, pathNot: testCode },
      to: { path: '^packages/', pathNot: `^packages/(${alternatives(own)})/` },
    },
    {
      name: `${name}-tests-import-only-${[...imports, 'testing', ...testExtras].join('-')}`,
      comment: `tests and fixtures of @llmq/${name} may import what it may, plus @llmq/testing${testExtras.map((each) => `, @llmq/${each}`).join('')}`,
      severity: 'error',
      from: { path: `^packages/${name}/.*(${testCode})` },
      to: {
        path: '^packages/',
        pathNot: `^packages/(${alternatives([...own, 'testing', ...testExtras])})/`,
      },
    },
  ];
}

function appRule(name, { imports }) {
  return {
    name: `${name}-imports-only-${imports.join('-')}`,
    comment: `apps/${name} may import ${imports.map((each) => `@llmq/${each}`).join(', ')} (DESIGN.md section 2)`,
    severity: 'error',
    from: { path: `^apps/${name}/`, pathNot: testCode },
    to: { path: '^packages/', pathNot: `^packages/(${alternatives(imports)})/` },
  };
}

// bench/ and infra/ have no rule of their own beyond these last four: bench is measurement
// tooling that wires packages directly, as an app does, and uses the test helpers; infra holds
// only tests of the deployment files.
module.exports = {
  forbidden: [
    ...Object.entries(packages).flatMap(([name, rule]) => packageRules(name, rule)),
    ...Object.entries(apps).map(([name, rule]) => appRule(name, rule)),
    {
      name: 'api-reads-db-through-reads',
      comment:
        'apps/api reads db through @llmq/db/reads only; a write goes through an engine operation (DESIGN.md section 2)',
      severity: 'error',
      from: { path: '^apps/api/', pathNot: testCode },
      to: { path: '^packages/db/', pathNot: '^packages/db/src/reads\\.ts$' },
    },
    {
      name: 'no-package-imports-an-app',
      comment: 'nothing imports an app: apps are composition roots (DESIGN.md section 2)',
      severity: 'error',
      from: { pathNot: '^apps/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-app-imports-another-app',
      comment: 'an app imports packages, never another app (DESIGN.md section 2)',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-circular',
      // A cycle made only with the help of `import type` is erased at run time and decides no
      // load order: core's Conversation, AsyncModel and Response name one another's types, as
      // llm's classes do. Every cycle with a value import on each edge is refused.
      comment: 'no cycle of value imports (DESIGN.md section 2)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'resolvable',
      // An import the checker cannot resolve would pass every rule unseen.
      comment: 'every import resolves (otherwise the checker cannot see where it points)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // typescript 7 has no JavaScript API dependency-cruiser can use: swc parses the .ts files
    // (and marks `import type`, which the cycle rule reads).
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|test-results)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // Workspace packages export `./src/index.ts` (and db `./src/reads.ts`) through `exports`;
      // imports name `.ts` files (allowImportingTsExtensions).
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
