import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { buildDefaultApps } from '../../app';
import { defaultChecks, ManifestObject, renderApp, runChecks, synthesize } from '../../lib';
import { container, only, readTree } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');

function rendered(env: string): any[] {
  return renderApp(buildDefaultApps()[env]).flatMap((f) => f.objects.map((o) => o.manifest));
}


describe('the default e-commerce app', () => {
  const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'default-app-')), 'dist');
  const result = synthesize({ apps: buildDefaultApps(), outdir: fresh, checks: defaultChecks() });
  const files = readTree(fresh);

  test('the committed dist/ is what the code synthesizes now (run `npm run synth` if this fails)', () => {
    expect(readTree(path.join(ROOT, 'dist'))).toEqual(files);
  });

  test('every object validates against the Kubernetes schema, the upstream CRDs and every other check', () => {
    // Checked independently of synthesize(), per environment, so a check skipped there would still be caught here.
    for (const env of ['dev', 'prod', 'argocd']) {
      const objects: ManifestObject[] = renderApp(buildDefaultApps()[env]).flatMap((f) => f.objects.map((o) => ({ file: `${env}/${f.fileName}`, manifest: o.manifest })));
      expect(objects.length).toBeGreaterThan(0);
      expect(runChecks(defaultChecks(), objects)).toEqual([]);
    }
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
    expect(only(prod, 'HorizontalPodAutoscaler', 'payment-service').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
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
    expect(only(prod, 'VirtualService', 'user-service').spec.hosts).toEqual(['user-service', 'user-api.example.com']);
    expect(only(prod, 'VirtualService', 'product-service').spec.hosts).toEqual(['product-service', 'product-api.example.com']);
    expect(prod.filter((o) => o.kind === 'Ingress')).toHaveLength(0); // prod is reached through the Istio Gateway only
    expect(only(dev, 'Ingress', 'product-service').spec.rules[0].host).toBe('product-api-dev.example.com');
    expect(only(dev, 'Ingress', 'user-service').spec.rules[0].host).toBe('user-api-dev.example.com');
    expect(container(prodUser).image).toMatch(/user-service:v1\.2\.3@sha256:[0-9a-f]{64}$/);
    expect(container(only(prod, 'Deployment', 'user-service-canary')).image).toMatch(/user-service:v1\.3\.0$/);
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

  test('prod: user-service canary in progress, 10 % on v2, testers always on v2, behind the Istio Gateway', () => {
    const prod = rendered('prod');
    const vs = only(prod, 'VirtualService', 'user-service');
    expect(vs.spec.gateways).toEqual(['mesh', 'ecommerce-gateway']);
    expect(vs.spec.http[0]).toMatchObject({ name: 'canary-testers', match: [{ headers: { 'x-user-type': { exact: 'tester' } } }], route: [{ destination: { subset: 'v2' } }] });
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 90], ['v2', 10]]);
    expect(only(prod, 'DestinationRule', 'user-service').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(only(prod, 'Gateway', 'ecommerce-gateway').spec.servers[0].tls).toEqual({ mode: 'SIMPLE', credentialName: 'ecommerce-prod-tls' });
    // The gateway's pods are admitted by the NetworkPolicy instead of the ingress controller's.
    const sources = only(prod, 'NetworkPolicy', 'user-service').spec.ingress.map((r: any) => r.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name']).filter(Boolean);
    expect(sources).toEqual(['istio-system', 'monitoring']);
  });

  test('prod: calls to order-service carry a timeout, retries and a circuit breaker', () => {
    const prod = rendered('prod');
    const route = only(prod, 'VirtualService', 'order-service').spec.http[0];
    expect(route).toMatchObject({ timeout: '10s', retries: { attempts: 1, perTryTimeout: '10s', retryOn: 'reset,connect-failure' } });
    expect(only(prod, 'DestinationRule', 'order-service').spec.trafficPolicy).toMatchObject({
      connectionPool: { tcp: { maxConnections: 200 }, http: { http1MaxPendingRequests: 100 } },
      outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 30 },
    });
  });

  test('dev: a fault-injection route for the test user only', () => {
    const dev = rendered('dev');
    const http = only(dev, 'VirtualService', 'user-service').spec.http;
    expect(http[0]).toMatchObject({
      name: 'fault-injection',
      match: [{ headers: { 'x-user-id': { exact: 'test-user' } } }],
      fault: { delay: { fixedDelay: '2s', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 20 } } },
    });
    expect(http[1]).toEqual({ name: 'default', route: [{ destination: { host: 'user-service', subset: 'v1' } }] });
  });

  test('prod autoscaling: user-service on RPS and P95, order-service on the Redis queue, product-service VPA advice, payment-service CPU/memory', () => {
    const prod = rendered('prod');
    const user = only(prod, 'HorizontalPodAutoscaler', 'user-service').spec;
    expect(user.metrics.map((m: any) => [m.type, m.pods?.metric.name ?? m.object?.metric.name, m.pods?.target.averageValue ?? m.object?.target.value]))
      .toEqual([['Pods', 'http_requests_per_second', '100'], ['Object', 'http_request_duration_seconds_0_95', '500m']]);
    const adapterRules = (require('js-yaml').load(only(prod, 'ConfigMap', 'prometheus-adapter').data['config.yaml']) as any).rules;
    expect(adapterRules.map((r: any) => r.name.as).sort()).toEqual(['http_request_duration_seconds_0_95', 'http_requests_per_second']);
    const order = only(prod, 'ScaledObject', 'order-service').spec;
    expect(order.triggers[0]).toMatchObject({ type: 'redis', metadata: { listName: 'order-queue', listLength: '10' }, authenticationRef: { name: 'order-service-redis' } });
    expect(prod.filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'order-service')).toHaveLength(0);
    expect(only(prod, 'Deployment', 'order-service').spec.replicas).toBeUndefined();
    expect(only(prod, 'VerticalPodAutoscaler', 'product-service').spec.updatePolicy).toEqual({ updateMode: 'Off' });
    expect(only(prod, 'HorizontalPodAutoscaler', 'payment-service').spec.metrics.map((m: any) => m.resource.name)).toEqual(['cpu', 'memory']);
    const dev = rendered('dev');
    expect(dev.filter((o) => ['HorizontalPodAutoscaler', 'ScaledObject'].includes(o.kind))).toHaveLength(0);
  });

  test('one Argo CD Application per environment, pointing at dist/<env>, in the platform\'s project', () => {
    const apps = rendered('argocd').filter((o) => o.kind === 'Application');
    expect(apps.every((a) => a.spec.project === 'ecommerce')).toBe(true);
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
