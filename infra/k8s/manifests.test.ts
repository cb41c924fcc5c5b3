import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// No cluster runs here: this checks what a cluster would refuse or do wrong, kind by kind.

interface Manifest {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
  readonly stringData?: Record<string, unknown>;
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}

interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    restartPolicy?: string;
    terminationGracePeriodSeconds?: number;
    securityContext?: { runAsNonRoot?: boolean };
  };
}

const folder = new URL('.', import.meta.url).pathname;
const files = readdirSync(folder).filter((file) => file.endsWith('.yaml'));
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((document) => {
    expect(document.errors, file).toEqual([]);
    return { file, ...(document.toJS() as Omit<Manifest, 'file'>) };
  }),
);
const byKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (kind: string, name: string) =>
  byKind(kind).find((manifest) => manifest.metadata.name === name);
const templateOf = (manifest: Manifest) => manifest.spec?.template as PodTemplate;

const apiVersions: Record<string, string> = {
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  Job: 'batch/v1',
  ScaledObject: 'keda.sh/v1alpha1',
};

describe('the Kubernetes manifests', () => {
  it('are known kinds at their API versions, each with a name', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    for (const manifest of manifests) {
      expect(apiVersions[manifest.kind], `${manifest.file}: kind ${manifest.kind}`).toBeDefined();
      expect(manifest.apiVersion, manifest.file).toBe(apiVersions[manifest.kind]);
      if (manifest.kind !== 'Kustomization') {
        expect(manifest.metadata?.name, manifest.file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      }
    }
  });

  it('are all listed by the kustomization', () => {
    const [kustomization] = byKind('Kustomization');
    const resources = (kustomization as unknown as { resources: string[] }).resources;
    expect([...resources].sort()).toEqual(
      files.filter((file) => file !== 'kustomization.yaml').sort(),
    );
  });

  it('give every workload a non-root image with its command, config, secrets and resource requests', () => {
    const workloads = [...byKind('Deployment'), ...byKind('Job')];
    expect(workloads.map((workload) => workload.metadata.name).sort()).toEqual([
      'llmq-api',
      'llmq-migrate',
      'llmq-worker',
    ]);
    for (const workload of workloads) {
      const template = templateOf(workload);
      expect(template.spec.securityContext?.runAsNonRoot, workload.file).toBe(true);
      const [container] = template.spec.containers;
      expect(container?.image, workload.file).toMatch(/^llmq:/);
      expect(['api', 'worker', 'migrate']).toContain(container?.args?.[0]);
      expect(container?.resources?.requests?.cpu, workload.file).toBeDefined();
      expect(container?.resources?.requests?.memory, workload.file).toBeDefined();
      const sources = container?.envFrom ?? [];
      expect(sources.map((source) => source.configMapRef?.name).filter(Boolean)).toEqual([
        'llmq-config',
      ]);
      expect(sources.map((source) => source.secretRef?.name).filter(Boolean)).toEqual([
        'llmq-secrets',
      ]);
      expect(named('ConfigMap', 'llmq-config')).toBeDefined();
      expect(named('Secret', 'llmq-secrets')).toBeDefined();
    }
    const job = named('Job', 'llmq-migrate') as Manifest;
    expect(['Never', 'OnFailure']).toContain(templateOf(job).spec.restartPolicy);
  });

  it('select their own pods, and probe ports the containers have', () => {
    for (const deployment of byKind('Deployment')) {
      const selector = (deployment.spec?.selector ?? { matchLabels: {} }) as {
        matchLabels: Record<string, string>;
      };
      const template = templateOf(deployment);
      expect(Object.keys(selector.matchLabels)).not.toHaveLength(0);
      expect(template.metadata.labels, deployment.file).toMatchObject(selector.matchLabels);
      for (const container of template.spec.containers) {
        const ports = (container.ports ?? []).map((port) => port.name);
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
          if (probe?.httpGet) expect(ports, deployment.file).toContain(probe.httpGet.port);
        }
      }
    }
    for (const service of byKind('Service')) {
      const selector = service.spec?.selector as Record<string, string>;
      const targets = byKind('Deployment').filter((deployment) =>
        Object.entries(selector).every(
          ([key, value]) => templateOf(deployment).metadata.labels[key] === value,
        ),
      );
      expect(targets, service.file).toHaveLength(1);
      const ports = templateOf(targets[0] as Manifest).spec.containers.flatMap((container) =>
        (container.ports ?? []).map((port) => port.name),
      );
      for (const port of (service.spec?.ports ?? []) as Array<{ targetPort: string }>) {
        expect(ports, service.file).toContain(port.targetPort);
      }
    }
  });

  it('have Prometheus scrape ports the containers have, where metrics need no key', () => {
    const scraped = byKind('Deployment').filter(
      (deployment) => templateOf(deployment).metadata.annotations?.['prometheus.io/scrape'],
    );
    expect(scraped.map((deployment) => deployment.metadata.name).sort()).toEqual([
      'llmq-api',
      'llmq-worker',
    ]);
    for (const deployment of scraped) {
      const template = templateOf(deployment);
      const [container] = template.spec.containers;
      const port = Number(template.metadata.annotations?.['prometheus.io/port']);
      const metrics = container?.ports?.find((each) => each.containerPort === port);
      expect(metrics?.name, deployment.file).toBe('metrics');
      const env = Object.fromEntries((container?.env ?? []).map((each) => [each.name, each.value]));
      // Listening beyond the pod's loopback, or Prometheus cannot reach it.
      expect(env.LLMQ_METRICS_HOST, deployment.file).toBe('0.0.0.0');
      if (container?.args?.[0] === 'api') {
        // The api's /metrics takes an admin key by default, which annotation scraping cannot send.
        expect(env.LLMQ_METRICS_ACCESS, deployment.file).toBe('port');
      }
    }
  });

  it("give the worker a termination grace period longer than its shutdown's", () => {
    const config = named('ConfigMap', 'llmq-config') as Manifest;
    const graceMs = Number(config.data?.LLMQ_SHUTDOWN_GRACE_MS);
    expect(graceMs).toBeGreaterThan(0);
    const worker = templateOf(named('Deployment', 'llmq-worker') as Manifest);
    // The worker hands jobs back after the grace and force-closes 5 s later.
    expect((worker.spec.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(
      graceMs + 5_000,
    );
    for (const value of Object.values(config.data ?? {})) expect(typeof value).toBe('string');
  });

  it('keep the api serving while it leaves the Service, then give its drain the time it takes', () => {
    const api = templateOf(named('Deployment', 'llmq-api') as Manifest);
    const container = api.spec.containers[0] as Container;
    const command = container.lifecycle?.preStop?.exec?.command ?? [];
    expect(command[0]).toBe('sleep');
    const preStopMs = Number(command[1]) * 1000;
    expect(preStopMs).toBeGreaterThan(0);
    const config = named('ConfigMap', 'llmq-config') as Manifest;
    const drainMs = Number(config.data?.LLMQ_HTTP_DRAIN_MS ?? 10_000);
    expect((api.spec.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(
      preStopMs + drainMs,
    );
  });

  it('scale the worker Deployment on the exported queue depth', () => {
    const scaled = named('ScaledObject', 'llmq-worker') as Manifest;
    const spec = scaled.spec as {
      scaleTargetRef: { name: string };
      minReplicaCount: number;
      maxReplicaCount: number;
      triggers: Array<{ type: string; metadata: { query: string; threshold: string } }>;
    };
    expect(named('Deployment', spec.scaleTargetRef.name)).toBeDefined();
    expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(spec.maxReplicaCount).toBeGreaterThan(spec.minReplicaCount);
    const [trigger] = spec.triggers;
    expect(trigger?.type).toBe('prometheus');
    expect(trigger?.metadata.query).toContain('llmq_queue_jobs');
    expect(Number(trigger?.metadata.threshold)).toBeGreaterThan(0);
  });
});
