import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { buildDefaultApps } from '../../app';
import { NoPlaintextSecretCheck, renderApp, SchemaCheck, synthesize } from '../../lib';
import { container, only } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');

function rendered(env: string): any[] {
  return renderApp(buildDefaultApps()[env]).flatMap((f) => f.objects.map((o) => o.manifest));
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('the default e-commerce app', () => {
  const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'default-app-')), 'dist');
  const result = synthesize({ apps: buildDefaultApps(), outdir: fresh, checks: [new SchemaCheck(), new NoPlaintextSecretCheck()] });
  const files = readTree(fresh);

  test('the committed dist/ is what the code synthesizes now (run `npm run synth` if this fails)', () => {
    expect(readTree(path.join(ROOT, 'dist'))).toEqual(files);
  });

  test('every object validates against the Kubernetes schema and the upstream CRDs', () => {
    const objects = [...result.files.keys()].length;
    expect(objects).toBeGreaterThan(0);
    expect(result.findings).toEqual([]);
  });

  test.each(['dev', 'prod', 'argocd'])('snapshot of dist/%s', (env) => {
    const envFiles = Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith(`${env}/`)));
    expect(envFiles).toMatchSnapshot();
  });

  test('four services, each in its language\'s port, with its own probes', () => {
    const prod = rendered('prod');
    const ports = Object.fromEntries(['user-service', 'product-service', 'order-service', 'payment-service']
      .map((s) => [s, container(only(prod, 'Deployment', s)).ports[0].containerPort]));
    expect(ports).toEqual({ 'user-service': 8080, 'product-service': 8080, 'order-service': 5000, 'payment-service': 3000 });
    expect(container(only(prod, 'Deployment', 'product-service')).livenessProbe.httpGet.path).toBe('/actuator/health/liveness');
    expect(container(only(prod, 'Deployment', 'product-service')).startupProbe.failureThreshold).toBe(60);
  });

  test('dev and prod differ as values-dev and values-prod do', () => {
    const dev = rendered('dev');
    const prod = rendered('prod');
    const devUser = only(dev, 'Deployment', 'user-service');
    const prodUser = only(prod, 'Deployment', 'user-service');
    expect(devUser.spec.replicas).toBe(1);
    expect(prodUser.spec.replicas).toBeUndefined();
    expect(only(prod, 'HorizontalPodAutoscaler', 'user-service').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    expect(dev.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(only(dev, 'Service', 'user-service').spec.type).toBe('NodePort');
    expect(only(prod, 'Service', 'user-service').spec.type).toBe('ClusterIP');
    expect(prodUser.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(devUser.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(prodUser.spec.template.spec.nodeSelector).toEqual({ 'node-role': 'production' });
    expect(devUser.spec.template.spec.nodeSelector).toBeUndefined();
    expect(container(devUser).env[0]).toEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(container(prodUser).env[0]).toEqual({ name: 'LOG_LEVEL', value: 'info' });
    expect(container(prodUser).resources.limits).toEqual({ cpu: '2', memory: '1Gi' });
    expect(container(devUser).resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(only(prod, 'Ingress', 'user-service').spec.rules[0].host).toBe('user-api.example.com');
    expect(only(dev, 'Ingress', 'user-service').spec.rules[0].host).toBe('user-api-dev.example.com');
    expect(container(prodUser).image).toMatch(/user-service:v1\.2\.3@sha256:[0-9a-f]{64}$/);
  });

  test('order-service may call user, product and payment; nothing else calls payment', () => {
    const prod = rendered('prod');
    const egress = only(prod, 'NetworkPolicy', 'order-service').spec.egress
      .flatMap((r: any) => r.to.map((t: any) => t.podSelector?.matchLabels?.app)).filter(Boolean);
    expect(egress.sort()).toEqual(['payment-service', 'product-service', 'user-service']);
    const paymentIngress = only(prod, 'NetworkPolicy', 'payment-service').spec.ingress;
    expect(paymentIngress.map((r: any) => r.from[0].podSelector?.matchLabels.app ?? r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']))
      .toEqual(['order-service', 'monitoring']);
  });

  test('one Argo CD Application per environment, pointing at dist/<env>', () => {
    const apps = rendered('argocd');
    expect(apps.map((a) => [a.metadata.name, a.spec.source.path, a.spec.destination.namespace])).toEqual([
      ['ecommerce-dev', 'dist/dev', 'ecommerce-dev'],
      ['ecommerce-prod', 'dist/prod', 'ecommerce'],
    ]);
  });

  test('`cdk8s synth` writes dist/ through the app (CLI output mirrored to its scratch dir)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', path.join(tmp, 'cli-out')], {
      cwd: ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', DIST_DIR: path.join(tmp, 'dist') }, stdio: 'pipe',
    });
    expect(readTree(path.join(tmp, 'dist'))).toEqual(files);
    expect(readTree(path.join(tmp, 'cli-out'))).toEqual(files);
  });
});
