import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { buildDefaultApps } from '../../app';
import { helmValuesFrom } from '../../bench/helm-values';
import { renderApp, SchemaCheck } from '../../lib';
import { ROOT } from '../helpers';

// The benchmark compares synthesis with `helm template` of bench/helm/microservice rendering the
// same services. These tests hold the comparison honest: the values describe the synthesized
// services, and the chart renders valid objects of the same kinds in the same numbers.

const HELM = process.env.HELM;
// In CI (REQUIRE_HELM=1) a missing helm fails instead of skipping.
const withHelm = HELM || process.env.REQUIRE_HELM ? test : test.skip;

function manifests(env: 'dev' | 'prod'): any[] {
  return renderApp(buildDefaultApps()[env]).flatMap((f) => f.objects.map((o) => o.manifest));
}

function helmTemplate(services: unknown[]): any[] {
  if (!HELM) throw new Error('HELM is not set: run `export HELM=$(bash scripts/fetch-helm.sh)`');
  const values = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-')), 'values.yaml');
  fs.writeFileSync(values, yaml.dump({ services }));
  const out = execFileSync(HELM, ['template', 'bench', path.join(ROOT, 'bench', 'helm', 'microservice'), '-f', values], { encoding: 'utf8' });
  return yaml.loadAll(out).filter(Boolean);
}

function bench(args: string[]): any {
  const out = execFileSync(process.execPath, ['scripts/run.js', 'bench/run.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: process.env });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('helm values of the synthesized services', () => {
  test('one entry per service with its image, port, replicas, secrets, call graph, ingress and canary', () => {
    const services = helmValuesFrom(manifests('prod'));
    expect(services.map((s) => s.name).sort()).toEqual(['order-service', 'payment-service', 'product-service', 'user-service']);
    const user = services.find((s) => s.name === 'user-service')!;
    expect(user).toMatchObject({ namespace: 'ecommerce', port: 8080, minReplicas: 3, maxReplicas: 20, canaryWeight: 10 });
    expect(user.image).toMatch(/user-service:v1\.2\.3@sha256:/);
    expect(user.canaryImage).toMatch(/user-service:v1\.3\.0$/);
    expect(user.secretStore).toBe('vault-prod');
    const order = services.find((s) => s.name === 'order-service')!;
    // order-service scales on its Redis queue (KEDA): its replica bounds come from the ScaledObject.
    expect(order).toMatchObject({ minReplicas: 2, maxReplicas: 30 });
    // Callers are the ones the NetworkPolicy admits.
    const policy = manifests('prod').find((m) => m.kind === 'NetworkPolicy' && m.spec.podSelector?.matchLabels?.app === 'payment-service');
    const admitted = policy.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.podSelector?.matchLabels?.app)).filter(Boolean);
    expect(services.find((s) => s.name === 'payment-service')!.callers.sort()).toEqual([...new Set<string>(admitted)].sort());
  });
});

describe('the Helm chart of the comparison', () => {
  withHelm('renders schema-valid objects, the same kinds per service as synthesis', () => {
    for (const env of ['dev', 'prod'] as const) {
      const all = manifests(env);
      const services = helmValuesFrom(all);
      // The chart models the services themselves: not the migration hooks, scheduled tasks, dev's own
      // data stores, the secret store's account or other platform objects.
      const names = new Set(services.map((s) => s.name));
      const ours = all.filter((m) => names.has(m.metadata?.labels?.['app.kubernetes.io/name'])
        && m.metadata?.annotations?.['argocd.argoproj.io/hook'] === undefined
        && !['migration', 'scheduled-task'].includes(m.metadata?.labels?.['app.kubernetes.io/component']));
      const theirs = helmTemplate(services);
      const objects = theirs.map((manifest) => ({ file: 'helm.yaml', manifest }));
      expect(new SchemaCheck().check(objects)).toEqual([]);
      const count = (list: any[], kind: string) => list.filter((m) => m.kind === kind).length;
      for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ExternalSecret', 'PodDisruptionBudget', 'VirtualService', 'DestinationRule', 'Ingress']) {
        expect(`${env} ${kind}: ${count(theirs, kind)}`).toBe(`${env} ${kind}: ${count(ours, kind)}`);
      }
    }
  });

  withHelm('bench --services compares with helm template of the same services', () => {
    const result = bench(['--services', '5', '--runs', '1', '--json']);
    expect(result).toMatchObject({ services: 5 });
    for (const field of ['objects', 'bytes', 'wallMs', 'peakRssMb', 'helmMs', 'helmObjects', 'helmBytes', 'helmRatio']) expect(result[field]).toBeGreaterThan(0);
    // The same services: object counts within the platform-wide objects synthesis adds and what the chart
    // does not model (at 5 services: one migration hook of 5 objects, one scheduled task of 2, the secret store).
    expect(result.objects).toBeGreaterThanOrEqual(result.helmObjects);
    expect(result.objects - result.helmObjects).toBeLessThanOrEqual(20);
  }, 60_000);
});

describe('bench', () => {
  test('--json prints one object with the measurements of the synthetic platform', () => {
    const { HELM: _helm, ...env } = process.env;
    const out = execFileSync(process.execPath, ['scripts/run.js', 'bench/run.ts', '--services', '3', '--runs', '1', '--json'], { cwd: ROOT, encoding: 'utf8', env });
    const result = JSON.parse(out.trim());
    expect(Object.keys(result)).toEqual(['services', 'objects', 'bytes', 'wallMs', 'unchangedMs', 'peakRssMb', 'nodeOptions']);
    // The child runs node as `npm run synth` does.
    expect(result.nodeOptions).toEqual(['--v8-pool-size=1']);
    expect(result.services).toBe(3);
    expect(result.wallMs).toBeGreaterThan(0);
    expect(result.unchangedMs).toBeGreaterThan(0);
    expect(result.objects).toBeGreaterThan(30);
    expect(result.bytes).toBeGreaterThan(10_000);
  }, 60_000);

  test('an edit number changes the image of exactly one service, a different one per number', () => {
    const synth = (...args: string[]) => {
      const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-edit-')), 'dist');
      execFileSync(process.execPath, ['scripts/run.js', 'bench/synthetic-platform.ts', '3', outdir, 'no-checks', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_MICROSERVICES_CACHE: 'off' } });
      const images = fs.readFileSync(path.join(outdir, 'bench', '50-svc-0001.yaml'), 'utf8').match(/image: \S+/g) ?? [];
      const others = ['50-svc-0000.yaml', '50-svc-0002.yaml'].map((f) => fs.readFileSync(path.join(outdir, 'bench', f), 'utf8'));
      return { images, others };
    };
    const plain = synth();
    const edited = synth('4'); // 4 mod 3: svc-0001
    expect(plain.images).toContain('image: registry.example.com/bench/svc-0001:v1.0.1');
    expect(edited.images).toContain('image: registry.example.com/bench/svc-0001:v1.0.1-edit4');
    expect(edited.others).toEqual(plain.others);
  }, 60_000);

  test('bad arguments are refused with what is allowed', () => {
    expect(() => execFileSync(process.execPath, ['scripts/run.js', 'bench/run.ts', '--services', 'many'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }))
      .toThrow(/--services: "many" is not a positive integer/);
  });
});
