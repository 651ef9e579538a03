import { App } from 'cdk8s';
import {
  collectWarnings, defaultChecks, HpaMetric, KedaRedisScaler, KedaScaler, KedaTrigger, MicroserviceChart, PlatformNamespace,
  PrometheusAdapterRules, PrometheusHpa, PrometheusMetric, renderApp, ServiceVpa, synthesize,
} from '../../lib';
import { all, IMAGE, only, render } from '../helpers';
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import * as yaml from 'js-yaml';

function service(app = new App(), props: Record<string, unknown> = {}) {
  return new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', autoscaling: false, ...props });
}
const rps = () => PrometheusMetric.httpRequestsPerSecond();
const p95 = () => PrometheusMetric.latencyQuantile({ quantile: 0.95 });
const checked = (app: App) => defaultChecks().flatMap((c) => c.check(renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })))));

describe('PrometheusHpa', () => {
  test('RPS per pod, P95 of the Service and CPU; the adapter serves exactly the custom metrics used', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = service(app);
    new PrometheusHpa(svc, 'Hpa', {
      service: svc, minReplicas: 3, maxReplicas: 20,
      metrics: [HpaMetric.pods(rps(), { averageValue: 100 }), HpaMetric.service(p95(), { value: '500m' }), HpaMetric.cpu({ averageUtilization: 70 })],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    });
    const objects = render(app);
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(hpa.spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'user-service' }, metric: { name: 'http_request_duration_seconds_0_95' }, target: { type: 'Value', value: '500m' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    expect(hpa.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    const adapter = only(objects, 'ConfigMap', 'prometheus-adapter');
    expect(adapter.metadata.namespace).toBe('monitoring');
    const config = yaml.load(adapter.data['config.yaml']) as any;
    expect(config.rules.map((r: any) => r.name.as)).toEqual(['http_request_duration_seconds_0_95', 'http_requests_per_second']);
    expect(config.rules[1]).toEqual({
      seriesQuery: 'http_requests_total{namespace!="",pod!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { matches: '^http_requests_total$', as: 'http_requests_per_second' },
      metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
    });
    expect(config.rules[0].metricsQuery).toBe('histogram_quantile(0.95, sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (le, <<.GroupBy>>))');
    expect(checked(app)).toEqual([]);
  });

  test('error rate rule; adapter name and namespace configurable; one config for the whole app', () => {
    const app = new App();
    new PrometheusAdapterRules(app, 'adapter', { configMapName: 'adapter-release', namespace: 'observability' });
    const a = service(app);
    const b = new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop', autoscaling: false });
    new PrometheusHpa(a, 'Hpa', { service: a, metrics: [HpaMetric.service(PrometheusMetric.errorRate(), { value: '50m' })] });
    new PrometheusHpa(b, 'Hpa', { service: b, metrics: [HpaMetric.service(PrometheusMetric.errorRate(), { value: '20m' }), HpaMetric.pods(rps(), { averageValue: 50 })] });
    const objects = render(app);
    const adapters = all(objects, 'ConfigMap').filter((c) => c.data?.['config.yaml']);
    expect(adapters.map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual(['observability/adapter-release']);
    const rules = (yaml.load(adapters[0].data['config.yaml']) as any).rules;
    expect(rules.map((r: any) => r.name.as)).toEqual(['http_error_rate', 'http_requests_per_second']);
    expect(rules[0].metricsQuery).toContain('status=~"5.."');
    expect(() => new PrometheusAdapterRules(app, 'again')).toThrow(/one adapter config per app/);
  });

  test.each<[string, () => HpaMetric[], string | RegExp]>([
    ['a Value target on a Pods metric', () => [HpaMetric.pods(rps(), { value: 100 })], /invalid metrics\[0\].target: \{"value":100\}; allowed: for a Pods metric exactly one of averageValue/],
    ['Utilization on an Object metric', () => [HpaMetric.service(p95(), { averageUtilization: 50 })], /allowed: for a Object metric exactly one of value, averageValue/],
    ['a pod metric used as an Object metric', () => [HpaMetric.service(rps(), { value: 1 })], /allowed: a metric whose subject is "service" for a Object metric/],
    ['a non-quantity target', () => [HpaMetric.pods(rps(), { averageValue: '100 rps' })], /invalid metrics\[0\].target.averageValue: "100 rps"/],
    ['two definitions of one metric name', () => [HpaMetric.pods(rps(), { averageValue: 1 }), HpaMetric.pods(PrometheusMetric.custom({ ...rps().definition, metricsQuery: 'sum(<<.Series>>)' }), { averageValue: 1 })], /one definition per metric name/],
  ])('refuses %s', (_n, metrics, message) => {
    const svc = service();
    expect(() => new PrometheusHpa(svc, 'Hpa', { service: svc, metrics: metrics() })).toThrow(message);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['min 0', { minReplicas: 0 }, /invalid minReplicas: 0; allowed: an integer from 1/],
    ['max < min', { minReplicas: 5, maxReplicas: 2 }, /invalid maxReplicas: 2; allowed: an integer no smaller than minReplicas \(5\)/],
    ['stabilization over an hour', { behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } } }, /invalid behavior.scaleDown.stabilizationWindowSeconds: 3601; allowed: an integer from 0 to 3600/],
    ['policy period 0', { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 0 }] } } }, /invalid behavior.scaleUp.policies\[0\].periodSeconds: 0; allowed: an integer from 1 to 1800/],
    ['policy period over 1800', { behavior: { scaleUp: { policies: [{ type: 'Percent', value: 2, periodSeconds: 1801 }] } } }, /periodSeconds: 1801/],
  ])('refuses %s', (_n, props, message) => {
    const svc = service();
    expect(() => new PrometheusHpa(svc, 'Hpa', { service: svc, metrics: [HpaMetric.cpu({ averageUtilization: 70 })], ...props })).toThrow(message);
  });
});

describe('KEDA', () => {
  test('redis list: address, list, length, activation, database, TLS; password only through a TriggerAuthentication', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = service(app);
    new KedaRedisScaler(svc, 'Queue', {
      service: svc, minReplicas: 1, maxReplicas: 20, pollingInterval: 15, cooldownPeriod: 120, idleReplicaCount: 0,
      fallback: { failureThreshold: 3, replicas: 5 },
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      redis: { address: 'redis.cache.svc.cluster.local:6379', listName: 'order-queue', listLength: 10, activationListLength: 1, databaseIndex: 2, enableTls: true, password: { secretName: 'redis-auth', key: 'password' } },
    });
    const objects = render(app);
    const so = only(objects, 'ScaledObject');
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'user-service' },
      minReplicaCount: 1, maxReplicaCount: 20, pollingInterval: 15, cooldownPeriod: 120, idleReplicaCount: 0,
      fallback: { failureThreshold: 3, replicas: 5 },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } },
      triggers: [{
        type: 'redis',
        metadata: { address: 'redis.cache.svc.cluster.local:6379', listName: 'order-queue', listLength: '10', activationListLength: '1', databaseIndex: '2', enableTLS: 'true' },
        authenticationRef: { name: 'user-service-redis' },
      }],
    });
    expect(only(objects, 'TriggerAuthentication').spec).toEqual({ secretTargetRef: [{ parameter: 'password', name: 'redis-auth', key: 'password' }] });
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(checked(app)).toEqual([]);
  });

  test('host + port, redis-cluster, redis-sentinel, kafka with SASL and TLS, prometheus', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = service(app);
    const secret = (key: string) => ({ secretName: 'creds', key });
    new KedaScaler(svc, 'Scaler', {
      service: svc,
      triggers: [
        KedaTrigger.redisList({ host: 'redis', port: 6380, listName: 'q', listLength: 5 }),
        KedaTrigger.redisClusterList({ addresses: ['r1:6379', 'r2:6379'], listName: 'q', listLength: 5, password: secret('pw') }),
        KedaTrigger.redisSentinelList({ addresses: ['s1:26379'], sentinelMaster: 'mymaster', listName: 'q', listLength: 5, password: secret('pw'), sentinelPassword: secret('spw') }),
        KedaTrigger.kafka({ bootstrapServers: ['kafka:9092'], consumerGroup: 'orders', topic: 'orders', lagThreshold: 50, sasl: { mechanism: 'scram_sha512', username: secret('user'), password: secret('pw') }, tls: { ca: secret('ca') } }),
        KedaTrigger.prometheus({ serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: 100 }),
      ],
    });
    const objects = render(app);
    const triggers = only(objects, 'ScaledObject').spec.triggers;
    expect(triggers.map((t: any) => t.type)).toEqual(['redis', 'redis-cluster', 'redis-sentinel', 'kafka', 'prometheus']);
    expect(triggers[0].metadata).toEqual({ host: 'redis', port: '6380', listName: 'q', listLength: '5' });
    expect(triggers[0].authenticationRef).toBeUndefined();
    expect(triggers[1].metadata.addresses).toBe('r1:6379,r2:6379');
    expect(triggers[2].metadata.sentinelMaster).toBe('mymaster');
    expect(triggers[3].metadata).toEqual({ bootstrapServers: 'kafka:9092', consumerGroup: 'orders', topic: 'orders', lagThreshold: '50', sasl: 'scram_sha512', tls: 'enable' });
    const kafkaAuth = all(objects, 'TriggerAuthentication').find((t) => t.metadata.name === 'user-service-kafka-3');
    expect(kafkaAuth.spec.secretTargetRef.map((r: any) => r.parameter)).toEqual(['username', 'password', 'ca']);
    expect(triggers[4].metadata).toEqual({ serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: '100' });
    expect(checked(app)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['idle count other than 0', { idleReplicaCount: 1 }, /invalid idleReplicaCount: 1; allowed: 0/],
    ['idle without min ≥ 1', { minReplicas: 0, idleReplicaCount: 0 }, /an idle count below minReplicas/],
    ['max < min', { minReplicas: 5, maxReplicas: 2 }, /invalid maxReplicas: 2/],
    ['fallback above max', { maxReplicas: 5, fallback: { failureThreshold: 3, replicas: 6 } }, /invalid fallback.replicas: 6; allowed: an integer from 1 to 5/],
  ])('refuses %s', (_n, props, message) => {
    const svc = service();
    expect(() => new KedaRedisScaler(svc, 'Q', { service: svc, redis: { address: 'r:6379', listName: 'q', listLength: 10 }, ...props })).toThrow(message);
  });

  test('refuses a trigger without address or host, and a ScaledObject name over 54 characters', () => {
    const svc = service();
    expect(() => new KedaRedisScaler(svc, 'Q', { service: svc, redis: { listName: 'q', listLength: 10 } })).toThrow(/either address \("host:port"\) or host and port/);
    const long = new MicroserviceChart(new App(), 'x', { image: IMAGE, autoscaling: false, serviceName: 'a'.repeat(55) });
    expect(() => new KedaRedisScaler(long, 'Q', { service: long, redis: { address: 'r:6379', listName: 'q', listLength: 10 } })).toThrow(/at most 54 characters/);
  });

  test('the validator reports a password put in trigger metadata', () => {
    const findings = defaultChecks().flatMap((c) => c.check([{ file: 'x.yaml', manifest: {
      apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x', namespace: 'kube-system' },
      spec: { scaleTargetRef: { name: 'x' }, triggers: [{ type: 'redis', metadata: { address: 'r:6379', listName: 'q', listLength: '1', password: 'hunter2' } }] },
    } }]));
    expect(findings).toContainEqual(expect.objectContaining({ path: 'spec.triggers[0].metadata.password', check: 'policy/keda-credentials' }));
  });
});

describe('VerticalPodAutoscaler', () => {
  test('modes and container policy', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = service(app);
    new ServiceVpa(svc, 'Vpa', { service: svc, updateMode: 'InPlaceOrRecreate', minAllowed: { cpu: '50m', memory: '128Mi' }, maxAllowed: { cpu: '2', memory: '2Gi' }, controlledResources: ['memory'], controlledValues: 'RequestsOnly' });
    const vpa = only(render(app), 'VerticalPodAutoscaler');
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'user-service' },
      updatePolicy: { updateMode: 'InPlaceOrRecreate' },
      resourcePolicy: { containerPolicies: [{ containerName: 'user-service', minAllowed: { cpu: '50m', memory: '128Mi' }, maxAllowed: { cpu: '2', memory: '2Gi' }, controlledResources: ['memory'], controlledValues: 'RequestsOnly' }] },
    });
    expect(checked(app)).toEqual([]);
  });

  test('Auto is accepted with a deprecation warning that the synthesis reports', () => {
    const app = new App();
    const svc = service(app);
    new ServiceVpa(svc, 'Vpa', { service: svc, updateMode: 'Auto' });
    expect(collectWarnings(app)).toEqual([expect.stringMatching(/^\[user-service\/Vpa\] updateMode "Auto" is deprecated/)]);
    const result = synthesize({ apps: { x: app }, outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vpa-')), 'dist'), checks: [] });
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'warning', check: 'construct' }));
  });

  test('refuses min above max', () => {
    const svc = service();
    expect(() => new ServiceVpa(svc, 'Vpa', { service: svc, minAllowed: { cpu: '3' }, maxAllowed: { cpu: '2' } })).toThrow(/invalid minAllowed.cpu: "3"/);
  });
});

describe('conflicts refused at synth', () => {
  test('an HPA and a ScaledObject on one workload', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE }); // built-in CPU/memory HPA
    expect(() => new KedaRedisScaler(svc, 'Q', { service: svc, redis: { address: 'r:6379', listName: 'q', listLength: 10 } }))
      .toThrow('[user-service] invalid KedaScaler: "user-service/Q/Scaler"; allowed: at most one autoscaler per workload; user-service is already scaled by user-service/Autoscaler');
  });

  test('two PrometheusHpas on one workload', () => {
    const svc = service();
    new PrometheusHpa(svc, 'A', { service: svc, metrics: [HpaMetric.pods(rps(), { averageValue: 1 })] });
    expect(() => new PrometheusHpa(svc, 'B', { service: svc, metrics: [HpaMetric.pods(rps(), { averageValue: 1 })] })).toThrow(/at most one autoscaler per workload/);
  });

  test('a VPA changing CPU while an HPA scales on CPU, in either order; Off and other resources are fine', () => {
    const a = service(new App(), { autoscaling: { cpuUtilization: 70, memoryUtilization: null } });
    expect(() => new ServiceVpa(a, 'Vpa', { service: a, updateMode: 'Recreate' }))
      .toThrow(/\[user-service\/Vpa\] invalid updateMode: "Recreate"; allowed: "Off" \(recommendations only\), or controlledResources without cpu/);
    const b = service();
    new ServiceVpa(b, 'Vpa', { service: b, updateMode: 'Recreate' });
    expect(() => new PrometheusHpa(b, 'Hpa', { service: b, metrics: [HpaMetric.cpu({ averageUtilization: 60 })] })).toThrow(/controlledResources without cpu/);
    const c = service(new App(), { autoscaling: { cpuUtilization: 70, memoryUtilization: null } });
    expect(() => new ServiceVpa(c, 'Vpa', { service: c, updateMode: 'Recreate', controlledResources: ['memory'] })).not.toThrow();
    const d = service(new App(), { autoscaling: {} });
    expect(() => new ServiceVpa(d, 'Vpa', { service: d, updateMode: 'Off' })).not.toThrow();
  });

  test('spec.replicas together with an autoscaler', () => {
    expect(() => new MicroserviceChart(new App(), 'x', { image: IMAGE, replicas: 3 }))
      .toThrow('[x] invalid replicas: 3; allowed: no fixed replica count on an autoscaled workload (x/Autoscaler owns spec.replicas; every apply would reset it)');
    const svc = service(new App(), { replicas: 2 });
    expect(() => new PrometheusHpa(svc, 'Hpa', { service: svc, metrics: [HpaMetric.pods(rps(), { averageValue: 1 })] })).toThrow(/invalid replicas: 2/);
  });
});
