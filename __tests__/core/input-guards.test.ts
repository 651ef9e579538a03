import { App, Chart } from 'cdk8s';
import {
  ArgoCdApplication, ArgoRollout, CanaryRoute, RolloutStep, ConfigurationError, ExternalServiceEntry, FlaggerCanary, GatewayRoute, HpaMetric, IstioGateway, KedaRedisScaler,
  KedaScaler, KedaTrigger, Match, MeshSecurity, MicroserviceChart, NginxCanaryIngress, PlatformNamespace, PrometheusAdapterRules,
  PrometheusHpa, PrometheusMetric, Probe, ResourceHpa, SecretSource, ServiceConfigMap, ServiceDeployment, ServiceDisruptionBudget,
  ServiceIngress, ServiceNetworkPolicy, ServiceVpa, ServiceMonitor, PodMonitor, SloPrometheusRule, ServiceDashboard, ServiceMonitoring, ServiceSlo,
  TlsCertificate, SecretStore, ClusterSecretStore, SecretStoreProvider,
  ServiceApiAccess, ReadOnlyClusterRole, ArgoCdProject, ArgoCdApplicationSet,
  ServiceJob, ServiceCronJob, ServiceStatefulSet, ServiceDaemonSet, ServiceVolumeClaim, ServiceScheduledTask,
} from '../../lib';
import { IMAGE, render, thrownBy } from '../helpers';

/*
 * Every public entry point called the way plain JavaScript can call it: null, undefined or a
 * wrong type in each required field (and in nested lists and objects). Each must fail with a
 * ConfigurationError naming the construct (or factory), the field path and the value — never
 * with a TypeError from deep inside.
 */

/** The ConfigurationError `fn` throws (fails the test on any other outcome). */
const configurationError = (fn: () => unknown): ConfigurationError => thrownBy(ConfigurationError, fn);

const chart = () => new Chart(new App(), 'chart');
/** A service with a canary track, in its own app. */
const service = (props: Record<string, unknown> = {}) =>
  new MicroserviceChart(new App(), 'user-service', { image: IMAGE, canary: { image: IMAGE.replace('v1.2.3', 'v1.3.0') }, ...props });
/** A service without a canary track and without its own autoscaler. */
const plainService = () => new MicroserviceChart(new App(), 'user-service', { image: IMAGE, autoscaling: false });
const labels = { app: 'user-service' };

/** A construct's valid props, and a wrong-typed value for each required field. */
interface Entry {
  readonly name: string;
  readonly make: (props: any) => unknown;
  readonly valid: () => Record<string, unknown>;
  readonly required: Record<string, unknown>;
  /** The field path errors name, where it is not the prop's own name (a part of a MicroserviceChart's props). */
  readonly fieldOf?: Record<string, string>;
}

/** The service when the props name one, else a chart of its own (the scope). */
const scopeOf = (p: any) => (p?.service instanceof MicroserviceChart ? p.service : chart());

const constructs: Entry[] = [
  { name: 'PlatformNamespace', make: (p) => new PlatformNamespace(new App(), 'ns', p), valid: () => ({ name: 'shop' }), required: { name: 42 } },
  { name: 'MicroserviceChart', make: (p) => new MicroserviceChart(new App(), 'svc', p), valid: () => ({ image: IMAGE }), required: { image: 42 } },
  {
    name: 'ServiceDeployment',
    make: (p) => new ServiceDeployment(chart(), 'd', p),
    valid: () => ({ image: IMAGE, identity: { app: 'a', version: 'v1', instance: 'a', partOf: 'a' }, serviceAccountName: 'a' }),
    required: { image: ['x'], identity: 'a', serviceAccountName: {} },
  },
  {
    name: 'ServiceConfigMap',
    make: (p) => new ServiceConfigMap(chart(), 'c', p),
    valid: () => ({ data: { a: 1 }, serviceName: 'a', labels }),
    required: { data: 'a=1', serviceName: 7, labels: 'app=a' },
    fieldOf: { data: 'config.data' },
  },
  {
    name: 'ServiceNetworkPolicy',
    make: (p) => new ServiceNetworkPolicy(chart(), 'np', p),
    valid: () => ({ service: plainService(), labels }),
    required: { service: 'user-service', labels: ['app'] },
  },
  {
    name: 'ServiceIngress',
    make: (p) => new ServiceIngress(chart(), 'i', p),
    valid: () => ({ host: 'api.example.com', serviceName: 'a', labels }),
    required: { host: 1, serviceName: true, labels: 'x' },
    fieldOf: { host: 'ingress.host' },
  },
  {
    name: 'ResourceHpa',
    make: (p) => new ResourceHpa(chart(), 'h', p),
    valid: () => ({ deploymentName: 'a', labels }),
    required: { deploymentName: 5, labels: 5 },
  },
  {
    name: 'ServiceDisruptionBudget',
    make: (p) => new ServiceDisruptionBudget(chart(), 'pdb', p),
    valid: () => ({ name: 'a', selector: labels, maxReplicas: 3, labels }),
    required: { name: {}, selector: 'app=a', maxReplicas: '3', labels: 3 },
  },
  {
    name: 'ArgoCdApplication',
    make: (p) => new ArgoCdApplication(chart(), 'app', p),
    valid: () => ({ name: 'shop', repoUrl: 'https://git.example.com/shop.git', path: 'dist/prod', destinationNamespace: 'shop' }),
    required: { name: 1, repoUrl: 1, path: 1, destinationNamespace: 1 },
  },
  { name: 'CanaryRoute', make: (p) => new CanaryRoute(service(), 'Route', p), valid: () => ({ service: service() }), required: { service: { serviceName: 'user-service' } } },
  {
    name: 'IstioGateway',
    make: (p) => new IstioGateway(chart(), 'gw', p),
    valid: () => ({ name: 'gw', hosts: ['api.example.com'], credentialName: 'tls' }),
    required: { name: 1, hosts: 'api.example.com' },
  },
  {
    name: 'GatewayRoute',
    make: (p) => new GatewayRoute(chart(), 'route', p),
    valid: () => ({ name: 'api', gateways: ['public-gateway'], hosts: ['api.example.com'], routes: [{ destinations: [{ service: 'api.internal.example.com' }] }] }),
    required: { name: 1, gateways: 'public-gateway', hosts: 'api.example.com', routes: {} },
  },
  {
    name: 'TlsCertificate',
    make: (p) => new TlsCertificate(chart(), 'cert', p),
    valid: () => ({ secretName: 'tls', dnsNames: ['api.example.com'], issuer: { name: 'letsencrypt-prod' } }),
    required: { secretName: 1, dnsNames: 'api.example.com', issuer: 'letsencrypt-prod' },
  },
  {
    name: 'SecretStore',
    make: (p) => new SecretStore(chart(), 'store', p),
    valid: () => ({ name: 'vault', provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'r', serviceAccount: { name: 'sa' } }) }),
    required: { name: 1, provider: { vault: {} } },
  },
  {
    name: 'ClusterSecretStore',
    make: (p) => new ClusterSecretStore(chart(), 'store', p),
    valid: () => ({ name: 'vault', provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'r', serviceAccount: { name: 'sa', namespace: 'eso' } }) }),
    required: { name: 1, provider: 'vault' },
  },
  {
    name: 'ServiceApiAccess',
    make: (p) => new ServiceApiAccess(chart(), 'access', p),
    valid: () => ({ name: 'svc', serviceAccountName: 'svc', rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }),
    required: { name: 1, serviceAccountName: [], rules: 'configmaps' },
    fieldOf: { rules: 'apiAccess' },
  },
  {
    name: 'ReadOnlyClusterRole',
    make: (p) => new ReadOnlyClusterRole(chart(), 'ro', p),
    valid: () => ({ name: 'ro', subjects: [{ name: 'ci', namespace: 'ci' }] }),
    required: { name: 1, subjects: 'ci' },
  },
  {
    name: 'ArgoCdProject',
    make: (p) => new ArgoCdProject(chart(), 'project', p),
    valid: () => ({ name: 'shop', sourceRepos: ['https://git.example.com/shop.git'], destinations: [{ server: 'https://kubernetes.default.svc', namespaces: ['shop'] }], namespaceResources: [{ group: 'apps', kind: 'Deployment' }] }),
    required: { name: 1, sourceRepos: 'https://git.example.com/shop.git', destinations: {}, namespaceResources: 'Deployment' },
  },
  {
    name: 'ArgoCdApplicationSet',
    make: (p) => new ArgoCdApplicationSet(chart(), 'set', p),
    valid: () => ({ name: 'shop', repoUrl: 'https://git.example.com/shop.git', destinationNamespace: 'shop', clusters: [{ name: 'eu', server: 'https://eu.example.com', path: 'dist/prod' }] }),
    required: { name: 1, repoUrl: 1, destinationNamespace: 1, clusters: 'eu' },
  },
  {
    name: 'ExternalServiceEntry',
    make: (p) => new ExternalServiceEntry(chart(), 'se', p),
    valid: () => ({ name: 'stripe', hosts: ['api.stripe.com'] }),
    required: { name: 1, hosts: 'api.stripe.com' },
  },
  {
    name: 'NginxCanaryIngress',
    make: (p) => new NginxCanaryIngress(scopeOf(p), 'n', p),
    valid: () => ({ service: service(), canaryWeight: 10, host: 'api.example.com' }),
    required: { service: 'user-service', canaryWeight: '10', host: 1 },
    fieldOf: { host: 'ingress.host' },
  },
  {
    name: 'PrometheusHpa',
    make: (p) => new PrometheusHpa(scopeOf(p), 'hpa', p),
    valid: () => ({ service: plainService(), metrics: [HpaMetric.pods(PrometheusMetric.httpRequestsPerSecond(), { averageValue: 100 })] }),
    required: { service: 'user-service', metrics: HpaMetric.cpu({ averageUtilization: 50 }) },
  },
  {
    name: 'KedaScaler',
    make: (p) => new KedaScaler(scopeOf(p), 'keda', p),
    valid: () => ({ service: plainService(), triggers: [KedaTrigger.redisList({ address: 'redis:6379', listName: 'q', listLength: 10 })] }),
    required: { service: {}, triggers: { type: 'redis' } },
  },
  {
    name: 'KedaRedisScaler',
    make: (p) => new KedaRedisScaler(scopeOf(p), 'keda', p),
    valid: () => ({ service: plainService(), redis: { address: 'redis:6379', listName: 'q', listLength: 10 } }),
    required: { service: 'user-service', redis: 'redis:6379' },
  },
  { name: 'ServiceVpa', make: (p) => new ServiceVpa(scopeOf(p), 'vpa', p), valid: () => ({ service: plainService() }), required: { service: 'user-service' } },
  {
    name: 'MeshSecurity',
    make: (p) => new MeshSecurity(new App(), 'mesh', p),
    valid: () => ({ namespace: 'shop' }),
    required: { namespace: 1 },
  },
  {
    name: 'FlaggerCanary',
    make: (p) => new FlaggerCanary(scopeOf(p), 'f', p),
    valid: () => ({ service: plainService() }),
    required: { service: 'user-service' },
  },
  {
    name: 'ServiceMonitor',
    make: (p) => new ServiceMonitor(chart(), 'sm', p),
    valid: () => ({ name: 'user-service', selector: labels, port: 'http' }),
    required: { name: 42, selector: 'user-service', port: 8080 },
  },
  {
    name: 'PodMonitor',
    make: (p) => new PodMonitor(chart(), 'pm', p),
    valid: () => ({ name: 'user-service', selector: labels, port: 'http' }),
    required: { name: 42, selector: ['app'], port: 8080 },
  },
  {
    name: 'SloPrometheusRule',
    make: (p) => new SloPrometheusRule(chart(), 'rule', p),
    valid: () => ({ slo: ServiceSlo.define('t', 'slo', { availability: { targetPercent: 99.9 } }, 'user-service', 'shop') }),
    required: { slo: { availability: { targetPercent: 99.9 } } },
  },
  {
    name: 'ServiceDashboard',
    make: (p) => new ServiceDashboard(chart(), 'dashboard', p),
    valid: () => ({ slo: ServiceSlo.define('t', 'slo', { availability: { targetPercent: 99.9 } }, 'user-service', 'shop') }),
    required: { slo: 'user-service' },
  },
  {
    name: 'ServiceMonitoring',
    make: (p) => new ServiceMonitoring(chart(), 'monitoring', p),
    valid: () => ({ service: { serviceName: 'user-service', namespace: 'shop', serviceLabels: labels, serviceSelector: labels, podSelector: labels, metrics: { portName: 'http', port: 8080, path: '/metrics' } } }),
    required: { service: 'user-service' },
  },
  {
    name: 'ServiceJob',
    make: (p) => new ServiceJob(chart(), 'job', p),
    valid: () => ({ name: 'migrate', serviceAccountName: 'worker', container: { image: IMAGE, command: ['/migrate'] } }),
    required: { name: 5, serviceAccountName: {}, container: 'x' },
  },
  {
    name: 'ServiceCronJob',
    make: (p) => new ServiceCronJob(chart(), 'cron', p),
    valid: () => ({ name: 'cleanup', schedule: '@daily', serviceAccountName: 'worker', container: { image: IMAGE } }),
    required: { name: ['x'], schedule: 5, serviceAccountName: 7, container: [] },
  },
  {
    name: 'ServiceStatefulSet',
    make: (p) => new ServiceStatefulSet(chart(), 'sts', p),
    valid: () => ({ name: 'db', image: IMAGE, ports: [{ name: 'sql', port: 3306 }], readinessProbe: Probe.tcp(), livenessProbe: Probe.tcp() }),
    required: { name: 5, image: 5, ports: 'sql', readinessProbe: 'tcp', livenessProbe: {} },
  },
  {
    name: 'ServiceDaemonSet',
    make: (p) => new ServiceDaemonSet(chart(), 'ds', p),
    valid: () => ({ name: 'agent', image: IMAGE, ports: [{ name: 'metrics', port: 9100 }], readinessProbe: Probe.http('/'), livenessProbe: Probe.http('/') }),
    required: { name: 5, image: {}, readinessProbe: '/' },
  },
  {
    name: 'ServiceVolumeClaim',
    make: (p) => new ServiceVolumeClaim(chart(), 'pvc', p),
    valid: () => ({ name: 'shared', size: '1Gi' }),
    required: { name: 5, size: '1 GB' },
  },
  {
    name: 'ServiceScheduledTask',
    make: (p) => new ServiceScheduledTask(scopeOf(p), 'task', p),
    valid: () => ({ service: plainService(), name: 'cleanup', schedule: '0 3 * * *', container: { command: ['/cleanup'] } }),
    required: { service: 'user-service', name: 5, container: 'x' },
  },
  {
    name: 'ArgoRollout',
    make: (p) => new ArgoRollout(scopeOf(p), 'r', p),
    valid: () => ({ service: plainService() }),
    required: { service: 'user-service' },
  },
];

describe('construct props from plain JavaScript', () => {
  test.each(constructs.map((c) => [c.name, c] as const))('%s: valid props are accepted', (_name, entry) => {
    expect(() => entry.make(entry.valid())).not.toThrow();
  });

  test.each(constructs.flatMap((c) => [null, undefined, 'props'].map((p) => [c.name, p, c] as const)))('%s: props %p refused', (_name, props, entry) => {
    const e = configurationError(() => entry.make(props));
    expect(e.field).toBe('props');
    expect(e.message).toMatch(/^\[[^\]]+\] invalid props: .*; allowed: an object of \w+Props$/);
  });

  const cases = constructs.flatMap((c) => Object.entries(c.required).flatMap(([field, wrong]) =>
    [null, undefined, wrong].map((value) => [c.name, field, value, c] as const)));
  test.each(cases)('%s: required %s = %p refused', (_name, field, value, entry) => {
    const e = configurationError(() => entry.make({ ...entry.valid(), [field]: value }));
    const expected = entry.fieldOf?.[field] ?? field;
    expect(e.field).toBe(expected);
    expect(e.value).toEqual(value);
    expect(e.message).toContain(`invalid ${expected}: `);
  });
});

/** Nested lists and objects: [what, call, construct path, field path]. */
const nested: Array<[string, () => unknown, string, string]> = [
  ['null SLO objective target', () => service({ monitoring: { slo: { availability: { targetPercent: null } } } }), 'user-service/Monitoring', 'slo.availability.targetPercent'],
  ['a string as an SLO bucket', () => service({ monitoring: { slo: { latency: { targetPercent: 99, thresholdMs: 500 }, histogramBucketsMs: ['500'] } } }), 'user-service/Monitoring', 'slo.histogramBucketsMs[0]'],
  ['a string as the SLO latency objective', () => service({ monitoring: { slo: { latency: '500ms' } } }), 'user-service/Monitoring', 'slo.latency'],
  ['a string as the dashboard options', () => service({ monitoring: { slo: { availability: { targetPercent: 99 } }, dashboard: 'monitoring' } }), 'user-service/Monitoring', 'dashboard'],
  ['null Flagger gate', () => new FlaggerCanary(plainService(), 'f', { service: plainService(), confirmPromotion: { url: null as any } }), 'user-service/f', 'confirmPromotion.url'],
  ['null pre-rollout check', () => new FlaggerCanary(plainService(), 'f', { service: plainService(), preRollout: [null as any] }), 'user-service/f', 'preRollout[0]'],
  ['null Flagger alert', () => new FlaggerCanary(plainService(), 'f', { service: plainService(), alerts: [null as any] }), 'user-service/f', 'alerts[0]'],
  ['a string as custom metric', () => new FlaggerCanary(plainService(), 'f', { service: plainService(), prometheus: { address: 'http://p:9090' }, customMetrics: ['q' as any] }), 'user-service/f', 'customMetrics[0]'],
  ['null Rollout step', () => new ArgoRollout(plainService(), 'r', { service: plainService(), steps: [RolloutStep.setWeight(5), null as any] }), 'user-service/r', 'steps[1]'],
  ['a string as Rollout weight', () => new ArgoRollout(plainService(), 'r', { service: plainService(), steps: [{ setWeight: '5' as any }] }), 'user-service/r', 'steps[0].setWeight'],
  ['null Prometheus address', () => new ArgoRollout(plainService(), 'r', { service: plainService(), analysis: { prometheusAddress: null as any } }), 'user-service/r', 'analysis.prometheusAddress'],
  ['null in routes[].match', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{}, { match: [null as any] }] }), 'user-service/Route', 'routes[1].match[0]'],
  ['a string as routes[].match', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{ match: 'x-user' as any }] }), 'user-service/Route', 'routes[0].match'],
  ['null route', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [null as any] }), 'user-service/Route', 'routes[0]'],
  ['null header match', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{ match: [{ headers: { 'x-a': null as any } }] }] }), 'user-service/Route', 'routes[0].match[0].headers.x-a'],
  ['number as exact match', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{ match: [{ uri: { exact: 5 as any } }] }] }), 'user-service/Route', 'routes[0].match[0].uri.exact'],
  ['null destination', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{ destinations: [null as any] }] }), 'user-service/Route', 'routes[0].destinations[0]'],
  ['service: undefined on CanaryRoute', () => new CanaryRoute(service(), 'Route', { service: undefined as any }), 'user-service/Route', 'service'],
  ['defaultRoute.timeout', () => new CanaryRoute(service(), 'Route', { service: service(), defaultRoute: { timeout: 5 as any } }), 'user-service/Route', 'defaultRoute.timeout'],
  ['defaultRoute.retries.attempts', () => new CanaryRoute(service(), 'Route', { service: service(), defaultRoute: { retries: { attempts: null as any } } }), 'user-service/Route', 'defaultRoute.retries.attempts'],
  ['defaultRoute.fault.abort', () => new CanaryRoute(service(), 'Route', { service: service(), defaultRoute: { fault: { abort: 'half' as any } } }), 'user-service/Route', 'defaultRoute.fault.abort'],
  ['defaultRoute.match', () => new CanaryRoute(service(), 'Route', { service: service(), defaultRoute: { match: [Match.path('/a')] } as any }), 'user-service/Route', 'defaultRoute.match'],
  ['weights as a list', () => new CanaryRoute(service(), 'Route', { service: service(), weights: [90, 10] as any }), 'user-service/Route', 'weights'],
  ['null subset policy', () => new CanaryRoute(service(), 'Route', { service: service(), subsetPolicies: { v2: null as any } }), 'user-service/Route', 'subsetPolicies.v2'],
  ['string load balancer', () => new CanaryRoute(service(), 'Route', { service: service(), trafficPolicy: { loadBalancer: 'ROUND_ROBIN' as any } }), 'user-service/Route', 'trafficPolicy.loadBalancer'],
  ['null gateway', () => new CanaryRoute(service(), 'Route', { service: service(), gateways: [null as any] }), 'user-service/Route', 'gateways[0]'],
  ['null public host', () => new CanaryRoute(service(), 'Route', { service: service(), publicHosts: [null as any] }), 'user-service/Route', 'publicHosts[0]'],
  ['null in callers', () => service({ callers: ['order-service', null] }), 'user-service', 'callers[1]'],
  ['caller without service', () => service({ callers: [{ methods: ['GET'] }] }), 'user-service', 'callers[0].service'],
  ['callers as a string', () => service({ callers: 'order-service' }), 'user-service', 'callers'],
  ['null caller method', () => service({ callers: [{ service: 'order-service', methods: [null] }] }), 'user-service', 'callers[0].methods[0]'],
  ['null egress rule', () => service({ egress: [null] }), 'user-service/NetworkPolicy', 'egress[0]'],
  ['null ingress source', () => service({ ingressSources: [null] }), 'user-service/NetworkPolicy', 'ingressSources[0]'],
  ['a string as ingress', () => service({ ingress: 'api.example.com' }), 'user-service', 'ingress'],
  ['null ingress host', () => service({ ingress: { host: null } }), 'user-service/Ingress', 'ingress.host'],
  ['a string as config', () => service({ config: 'a=1' }), 'user-service', 'config'],
  ['config without data', () => service({ config: {} }), 'user-service/Config', 'config.data'],
  ['a string as canary', () => service({ canary: 'v2' }), 'user-service', 'canary'],
  ['a string as migration', () => service({ migration: '/migrate' }), 'user-service', 'migration'],
  ['migration without command', () => service({ migration: {} }), 'user-service/user-service-migration', 'migration.command'],
  ['null pod volume', () => service({ pod: { volumes: [null] } }), 'user-service/Deployment', 'pod.volumes[0]'],
  ['null volume secret name', () => service({ pod: { volumes: [{ name: 'x', secret: { secretName: null } }] } }), 'user-service/Deployment', 'pod.volumes[0].secret.secretName'],
  ['null init container', () => service({ pod: { initContainers: [null] } }), 'user-service/Deployment', 'pod.initContainers[0]'],
  ['sidecar without image', () => service({ pod: { sidecars: [{ name: 'log' }] } }), 'user-service/Deployment', 'pod.sidecars[0].image'],
  ['null volume mount', () => service({ volumeMounts: [null] }), 'user-service/Deployment', 'volumeMounts[0]'],
  ['null topology spread', () => service({ pod: { topologySpread: [null] } }), 'user-service/Deployment', 'pod.topologySpread[0]'],
  ['null env valueFrom', () => service({ pod: { initContainers: [{ name: 'x', image: IMAGE, envValueFrom: { A: null } }] } }), 'user-service/Deployment', 'pod.initContainers[0].envValueFrom.A'],
  ['null additional port', () => service({ additionalPorts: [null] }), 'user-service', 'additionalPorts[0]'],
  ['canary without image', () => service({ canary: {} }), 'user-service/CanaryDeployment', 'image'],
  ['a number as mesh', () => service({ mesh: 1 }), 'user-service', 'mesh'],
  ['a string as sidecar', () => service({ mesh: { sidecar: 'false' } }), 'user-service', 'mesh.sidecar'],
  ['a string as resources', () => service({ resources: '1 CPU' }), 'user-service/Deployment', 'resources'],
  ['a plain object as livenessProbe', () => service({ livenessProbe: { path: '/health' } }), 'user-service/Deployment', 'livenessProbe'],
  ['a number in env', () => service({ env: { FEATURE: 1 } }), 'user-service/Deployment', 'env["FEATURE"]'],
  ['null in command', () => service({ command: ['run', null] }), 'user-service/Deployment', 'command[1]'],
  ['a string as writablePaths', () => service({ writablePaths: '/tmp' }), 'user-service/Deployment', 'writablePaths'],
  ['a string as autoscaling', () => service({ autoscaling: 'on' }), 'user-service', 'autoscaling'],
  ['a string as disruptionBudget', () => service({ disruptionBudget: 'one' }), 'user-service', 'disruptionBudget'],
  ['null scaling policy', () => service({ autoscaling: { behavior: { scaleUp: { policies: [null] } } } }), 'user-service/Autoscaler', 'autoscaling.behavior.scaleUp.policies[0]'],
  ['a map of plaintext as secrets', () => service({ secrets: { 'db-password': 'x' } }), 'user-service', 'secrets'],
  ['a number as secretEnv value', () => service({ secrets: SecretSource.fromExistingSecret('s', ['k']), secretEnv: { K: 1 } }), 'user-service', 'secretEnv["K"]'],
  ['fromExistingSecret(undefined, …)', () => service({ secrets: SecretSource.fromExistingSecret(undefined as any, ['k']) }), 'user-service', 'secrets.secretName'],
  ['fromExistingSecret(name, [null])', () => service({ secrets: SecretSource.fromExistingSecret('s', [null as any]) }), 'user-service', 'secrets.keys[0]'],
  ['fromExternalSecret with null key source', () => service({ secrets: SecretSource.fromExternalSecret({ storeName: 'vault', keys: { k: null as any } }) }), 'user-service', 'secrets.keys.k'],
  ['fromExternalSecret without keys', () => service({ secrets: SecretSource.fromExternalSecret({ storeName: 'vault' } as any) }), 'user-service', 'secrets.keys'],
  ['fromSealedSecret without encryptedData', () => service({ secrets: SecretSource.fromSealedSecret({} as any) }), 'user-service', 'secrets.encryptedData'],
  ['fromExternalSecret(undefined)', () => SecretSource.fromExternalSecret(undefined as any), 'SecretSource.fromExternalSecret', 'props'],
  ['fromSealedSecret(null)', () => SecretSource.fromSealedSecret(null as any), 'SecretSource.fromSealedSecret', 'props'],
  ['Probe.http(undefined)', () => service({ readinessProbe: Probe.http(undefined as any) }), 'user-service/Deployment', 'readinessProbe.path'],
  ['Probe.tcp(timing string)', () => service({ livenessProbe: Probe.tcp('fast' as any) }), 'user-service/Deployment', 'livenessProbe.timing'],
  ['Probe timing as a string number', () => service({ livenessProbe: Probe.http('/h', { periodSeconds: '10' as any }) }), 'user-service/Deployment', 'livenessProbe.periodSeconds'],
  ['HpaMetric.pods(undefined)', () => { const s = plainService(); new PrometheusHpa(s, 'hpa', { service: s, metrics: [HpaMetric.pods(undefined as any, { averageValue: 100 })] }); }, 'user-service/hpa', 'metrics[0].metric'],
  ['HpaMetric.pods(metric, undefined)', () => { const s = plainService(); new PrometheusHpa(s, 'hpa', { service: s, metrics: [HpaMetric.pods(PrometheusMetric.httpRequestsPerSecond(), undefined as any)] }); }, 'user-service/hpa', 'metrics[0].target'],
  ['HpaMetric.cpu(null)', () => { const s = plainService(); new PrometheusHpa(s, 'hpa', { service: s, metrics: [HpaMetric.cpu(null as any)] }); }, 'user-service/hpa', 'metrics[0].target'],
  ['HpaMetric.service(a string)', () => { const s = plainService(); new PrometheusHpa(s, 'hpa', { service: s, metrics: [HpaMetric.service('latency' as any, { value: 1 })] }); }, 'user-service/hpa', 'metrics[0].metric'],
  ['null in PrometheusHpa metrics', () => { const s = plainService(); new PrometheusHpa(s, 'hpa', { service: s, metrics: [null as any] }); }, 'user-service/hpa', 'metrics[0]'],
  ['PrometheusMetric.custom with undefined query', () => { const s = plainService(); new PrometheusHpa(s, 'hpa', { service: s, metrics: [HpaMetric.external(PrometheusMetric.custom({ name: 'q', subject: 'external', seriesQuery: 'q', seriesName: '^q$' } as any), { value: 1 })] }); }, 'user-service/hpa', 'metrics[0].metric.metricsQuery'],
  ['PrometheusMetric.httpRequestsPerSecond(7)', () => PrometheusMetric.httpRequestsPerSecond(7 as any), 'PrometheusMetric.httpRequestsPerSecond', 'options'],
  ['PrometheusMetric.httpRequestsPerSecond({ counter: 5 })', () => PrometheusMetric.httpRequestsPerSecond({ counter: 5 as any }), 'PrometheusMetric.httpRequestsPerSecond', 'options.counter'],
  ['PrometheusMetric.latencyQuantile({ quantile: "0.95" })', () => PrometheusMetric.latencyQuantile({ quantile: '0.95' as any }), 'PrometheusMetric.latencyQuantile', 'options.quantile'],
  ['PrometheusMetric.errorRate("5m")', () => PrometheusMetric.errorRate('5m' as any), 'PrometheusMetric.errorRate', 'options'],
  ['PrometheusMetric.custom(undefined)', () => PrometheusMetric.custom(undefined as any), 'PrometheusMetric.custom', 'definition'],
  ['redis: undefined on KedaRedisScaler', () => { const s = plainService(); new KedaRedisScaler(s, 'keda', { service: s, redis: undefined as any }); }, 'user-service/keda', 'redis'],
  ['KedaRedisScaler redis without listName', () => { const s = plainService(); new KedaRedisScaler(s, 'keda', { service: s, redis: { address: 'redis:6379', listLength: 5 } as any }); }, 'user-service/keda/Scaler', 'triggers[0].listName'],
  ['null in KedaScaler triggers', () => { const s = plainService(); new KedaScaler(s, 'keda', { service: s, triggers: [null as any] }); }, 'user-service/keda', 'triggers[0]'],
  ['KedaTrigger.redisList(undefined)', () => KedaTrigger.redisList(undefined as any), 'KedaTrigger.redisList', 'options'],
  ['KedaTrigger.redisClusterList(null)', () => KedaTrigger.redisClusterList(null as any), 'KedaTrigger.redisClusterList', 'options'],
  ['KedaTrigger.redisSentinelList(null)', () => KedaTrigger.redisSentinelList(null as any), 'KedaTrigger.redisSentinelList', 'options'],
  ['KedaTrigger.kafka(undefined)', () => KedaTrigger.kafka(undefined as any), 'KedaTrigger.kafka', 'options'],
  ['KedaTrigger.kafka sasl string', () => KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't', lagThreshold: 5, sasl: 'scram' as any }), 'KedaTrigger.kafka', 'options.sasl'],
  ['KedaTrigger.prometheus(null)', () => KedaTrigger.prometheus(null as any), 'KedaTrigger.prometheus', 'options'],
  ['kafka without topic', () => { const s = plainService(); new KedaScaler(s, 'keda', { service: s, triggers: [KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', lagThreshold: 5 } as any)] }); }, 'user-service/keda', 'triggers[0].topic'],
  ['kafka sasl without username', () => { const s = plainService(); new KedaScaler(s, 'keda', { service: s, triggers: [KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't', lagThreshold: 5, sasl: { mechanism: 'plaintext', password: { secretName: 's', key: 'p' } } as any })] }); }, 'user-service/keda', 'triggers[0].username'],
  ['prometheus trigger without query', () => { const s = plainService(); new KedaScaler(s, 'keda', { service: s, triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prom:9090', threshold: 5 } as any)] }); }, 'user-service/keda', 'triggers[0].query'],
  ['prometheus trigger threshold as a string', () => { const s = plainService(); new KedaScaler(s, 'keda', { service: s, triggers: [KedaTrigger.prometheus({ serverAddress: 'http://prom:9090', query: 'q', threshold: '5' as any })] }); }, 'user-service/keda', 'triggers[0].threshold'],
  ['redis cluster addresses with null', () => { const s = plainService(); new KedaScaler(s, 'keda', { service: s, triggers: [KedaTrigger.redisClusterList({ addresses: [null as any], listName: 'q', listLength: 5 })] }); }, 'user-service/keda', 'triggers[0].addresses[0]'],
  ['Match.header(null, …)', () => Match.header(null as any, 'x'), 'Match.header', 'name'],
  ['Match.header(…, undefined)', () => Match.header('x-user', undefined as any), 'Match.header', 'value'],
  ['Match.headerRegex(…, null)', () => Match.headerRegex('x-user', null as any), 'Match.headerRegex', 'regex'],
  ['Match.cookie(undefined, …)', () => Match.cookie(undefined as any, 'x'), 'Match.cookie', 'name'],
  ['Match.pathPrefix(null)', () => Match.pathPrefix(null as any), 'Match.pathPrefix', 'prefix'],
  ['Match.path(3)', () => Match.path(3 as any), 'Match.path', 'path'],
  ['null in MeshSecurity deny rules', () => { const a = new App(); new MeshSecurity(a, 'mesh', { namespace: 'default', deny: [{ name: 'd', rules: [null as any] }] }); }, 'mesh', 'deny[0].rules[0]'],
  ['deny rule source missing', () => { const a = new App(); new MeshSecurity(a, 'mesh', { namespace: 'default', deny: [{ name: 'd', rules: [{ from: [{} as any] }] }] }); }, 'mesh', 'deny[0].rules[0].from[0].source'],
  ['null workloadMtls entry', () => { const a = new App(); new MeshSecurity(a, 'mesh', { namespace: 'default', workloadMtls: [null as any] }); }, 'mesh', 'workloadMtls[0]'],
  ['jwt as a string', () => { const a = new App(); new MeshSecurity(a, 'mesh', { namespace: 'default', jwt: 'https://issuer' as any }); }, 'mesh', 'jwt'],
  ['jwt without issuer', () => { const a = new App(); new MeshSecurity(a, 'mesh', { namespace: 'default', jwt: { jwksUri: 'https://i/jwks', services: ['x'] } as any }); }, 'mesh', 'jwt.issuer'],
  ['resourceQuota as a string', () => new PlatformNamespace(new App(), 'ns', { name: 'shop', resourceQuota: '10 CPU' as any }), 'ns', 'resourceQuota'],
  ['null limitRange.max', () => new PlatformNamespace(new App(), 'ns', { name: 'shop', limitRange: { max: 'big' as any } }), 'ns', 'limitRange.max'],
  ['istioInjection as a string', () => new PlatformNamespace(new App(), 'ns', { name: 'shop', istioInjection: 'yes' as any }), 'ns', 'istioInjection'],
  ['null in gateway hosts', () => new IstioGateway(chart(), 'gw', { name: 'gw', hosts: [null as any], credentialName: 't' }), 'chart/gw', 'hosts[0]'],
  ['credentialName as a number', () => new IstioGateway(chart(), 'gw', { name: 'gw', hosts: ['*'], credentialName: 5 as any }), 'chart/gw', 'credentialName'],
  ['null gateway route destination', () => new GatewayRoute(chart(), 'r', { name: 'r', gateways: ['gw'], hosts: ['*'], routes: [{ destinations: [null as any] }] }), 'chart/r', 'routes[0].destinations[0]'],
  ['gateway route destination service as a number', () => new GatewayRoute(chart(), 'r', { name: 'r', gateways: ['gw'], hosts: ['*'], routes: [{ destinations: [{ service: 5 as any }] }] }), 'chart/r', 'routes[0].destinations[0].service'],
  ['null gateway of a route', () => new GatewayRoute(chart(), 'r', { name: 'r', gateways: [null as any], hosts: ['*'], routes: [] }), 'chart/r', 'gateways[0]'],
  ['null additional track', () => new MicroserviceChart(new App(), 'svc', { image: IMAGE, additionalTracks: [null as any] }), 'svc', 'additionalTracks[0]'],
  ['null subset', () => new CanaryRoute(service(), 'Route', { service: service(), subsets: [null as any] }), 'user-service/Route', 'subsets[0]'],
  ['subset labels as a string', () => new CanaryRoute(service(), 'Route', { service: service(), subsets: [{ name: 'a', labels: 'v1' as any }] }), 'user-service/Route', 'subsets[0].labels'],
  ['response headers as a list', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{ headers: { response: ['x'] as any } }] }), 'user-service/Route', 'routes[0].headers.response'],
  ['null CORS origins', () => new CanaryRoute(service(), 'Route', { service: service(), routes: [{ corsPolicy: { allowOrigins: null as any } }] }), 'user-service/Route', 'routes[0].corsPolicy.allowOrigins'],
  ['null service entry port', () => new ExternalServiceEntry(chart(), 'se', { name: 'se', hosts: ['api.stripe.com'], ports: [null as any] }), 'chart/se', 'ports[0]'],
  ['null VPA bounds', () => { const s = plainService(); new ServiceVpa(s, 'vpa', { service: s, minAllowed: 'small' as any }); }, 'user-service/vpa', 'minAllowed'],
  ['null in Flagger match', () => { const s = plainService(); new FlaggerCanary(s, 'f', { service: s, match: [null as any], iterations: 5 }); }, 'user-service/f', 'match[0]'],
  ['Flagger loadTest without cmd', () => { const s = plainService(); new FlaggerCanary(s, 'f', { service: s, loadTest: { url: 'http://loadtester/' } as any }); }, 'user-service/f', 'loadTest.cmd'],
  ['canaryHeader as a string', () => { const s = service(); new NginxCanaryIngress(s, 'n', { service: s, canaryWeight: 5, host: 'api.example.com', canaryHeader: 'x-canary' as any }); }, 'user-service/n', 'canaryHeader'],
  ['PrometheusAdapterRules(null-valued name)', () => new PrometheusAdapterRules(new App(), 'adapter', { configMapName: 5 as any }), 'adapter', 'configMapName'],
];

describe('nested values and factories from plain JavaScript', () => {
  test.each(nested)('%s', (_what, call, path, field) => {
    const e = configurationError(call);
    expect(e.constructPath).toBe(path);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`[${path}] invalid ${field}: `)).toBe(true);
  });
});

describe('null in an optional field is the same as leaving it out', () => {
  const withNulls = {
    image: IMAGE, serviceName: null, namespace: null, partOf: null, version: null, replicas: null, servicePort: null, serviceType: null,
    nodePort: null, config: null, secrets: null, secretEnv: null, callers: null, ingressSources: null, egress: null, networkPolicy: null,
    ingress: null, canary: null, additionalTracks: null, trackLabels: null, blueGreen: null, mesh: null, port: null, resources: null, livenessProbe: null, readinessProbe: null,
    startupProbe: null, env: null, logLevel: null, writablePaths: null, metrics: null, podAnnotations: null, imagePullSecrets: null,
    command: null, args: null, tolerations: null, nodeSelector: null, autoscaling: null, disruptionBudget: null, monitoringNamespace: null,
  };

  test('MicroserviceChart renders the same as with only the required props', () => {
    const nulls = new App();
    new MicroserviceChart(nulls, 'user-service', withNulls as any);
    const plain = new App();
    new MicroserviceChart(plain, 'user-service', { image: IMAGE });
    expect(render(nulls)).toEqual(render(plain));
  });

  test('CanaryRoute and its routes render the same', () => {
    const build = (props: Record<string, unknown>) => {
      const app = new App();
      const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, canary: { image: IMAGE.replace('v1.2.3', 'v1.3.0') } });
      new CanaryRoute(svc, 'Route', { service: svc, weights: { v1: 90, v2: 10 }, ...props } as any);
      return render(app);
    };
    const route = { match: [Match.header('x-user-type', 'tester')], destinations: [{ subset: 'v2' }] };
    expect(build({
      routes: [{ ...route, name: null, timeout: null, retries: null, fault: null, mirror: null, rewriteUri: null, headers: null, corsPolicy: null }],
      defaultRoute: { timeout: null, retries: { attempts: 2, perTryTimeout: null, retryOn: null } },
      trafficPolicy: { loadBalancer: null, connectionPool: { tcp: null, http: { maxRetries: null } }, outlierDetection: null, tls: null },
      subsets: null, subsetPolicies: null, gateways: null, publicHosts: null, flagger: null, istioApiVersion: null,
    })).toEqual(build({
      routes: [route],
      defaultRoute: { retries: { attempts: 2 } },
      trafficPolicy: { connectionPool: { http: {} } },
    }));
  });

  test('a null probe timing field takes the default', () => {
    const a = new App();
    new MicroserviceChart(a, 'user-service', { image: IMAGE, livenessProbe: Probe.http('/health', { periodSeconds: null as any }) });
    const b = new App();
    new MicroserviceChart(b, 'user-service', { image: IMAGE, livenessProbe: Probe.http('/health') });
    expect(render(a)).toEqual(render(b));
  });
});

test('a factory given null options builds the default metric', () => {
  expect(PrometheusMetric.httpRequestsPerSecond(null as any).definition).toEqual(PrometheusMetric.httpRequestsPerSecond().definition);
  expect(PrometheusMetric.latencyQuantile({ quantile: null as any }).definition).toEqual(PrometheusMetric.latencyQuantile().definition);
});
