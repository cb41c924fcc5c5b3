import { defineConfig } from 'vitest/config';

const sources = [
  'apps/*/src/**',
  'apps/*/e2e/**',
  'packages/*/src/**',
  'bench/**',
  'infra/**',
  'scripts/**',
];

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: sources.map((folder) => `${folder}/*.test.ts`),
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'int',
          include: sources.map((folder) => `${folder}/*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
