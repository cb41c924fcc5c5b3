import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

// No Docker engine runs here (CI also runs `docker compose config` where the plugin exists):
// this checks the file's structure and that every setting it takes is documented.

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
}

const root = new URL('../../', import.meta.url).pathname;
const text = readFileSync(`${root}docker-compose.yml`, 'utf8');
const document = parseDocument(text, { merge: true });
const compose = document.toJS({ maxAliasCount: 100 }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { services } = compose;

describe('docker-compose.yml', () => {
  it('parses, with the services of the design', () => {
    expect(document.errors).toEqual([]);
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'migrate',
      'minio',
      'minio-bucket',
      'postgres',
      'redis',
      'worker',
    ]);
  });

  it('keeps Redis with AOF persistence and every store on a volume', () => {
    expect(services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    for (const name of ['redis-data', 'postgres-data', 'minio-data']) {
      expect(compose.volumes).toHaveProperty(name);
    }
  });

  it('builds one image from infra/docker/Dockerfile whose command picks the role', () => {
    for (const [name, role] of [
      ['migrate', 'migrate'],
      ['api', 'api'],
      ['worker', 'worker'],
    ] as const) {
      expect(services[name]?.build?.dockerfile).toBe('infra/docker/Dockerfile');
      expect(services[name]?.command).toEqual([role]);
    }
  });

  it('starts things in order: health checks and completed one-shots', () => {
    for (const name of ['redis', 'postgres', 'minio', 'api', 'worker']) {
      expect(services[name]?.healthcheck?.test, name).toBeDefined();
    }
    expect(services.migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      const needs = services[name]?.depends_on ?? {};
      expect(needs.migrate?.condition, name).toBe('service_completed_successfully');
      expect(needs['minio-bucket']?.condition, name).toBe('service_completed_successfully');
      expect(needs.redis?.condition, name).toBe('service_healthy');
    }
  });

  it('lets the worker scale: no fixed name or published port, and time to hand jobs back', () => {
    expect(services.worker?.container_name).toBeUndefined();
    expect(services.worker?.ports).toBeUndefined();
    expect(Number.parseInt(services.worker?.stop_grace_period ?? '10s', 10) * 1000).toBeGreaterThan(
      Number(/LLMQ_SHUTDOWN_GRACE_MS:-(\d+)/.exec(text)?.[1]),
    );
  });

  it('takes its settings from variables the README documents', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const variables = new Set(
      [...text.matchAll(/\$\{(\w+)(?::[-?][^}]*)?\}/g)].map((match) => match[1] as string),
    );
    expect(variables.size).toBeGreaterThan(5);
    for (const variable of variables) expect(readme, variable).toContain(`\`${variable}\``);
  });
});
