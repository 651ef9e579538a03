// Child process of the benchmark: builds a synthetic platform of N services using the library's
// full per-service feature set (workload, Service, ServiceAccount, config, secret reference,
// autoscaler, PDB, NetworkPolicy, canary routing, authorization; a migration hook Job on every
// fourth service, a scheduled CronJob on every tenth, a StatefulSet with claims on every 25th),
// synthesizes it (with every check) into a temporary directory and prints one JSON line of measurements.
// Arguments: services, output directory, `no-checks` (or anything else for all checks), edit number.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { KubeServiceAccount } from '../imports/k8s';
import {
  CanaryRoute, ClusterSecretStore, SecretStoreProvider, defaultChecks, Match, MeshSecurity, MicroserviceChart, PlatformNamespace, Probe, SecretSource, ServiceScheduledTask, ServiceStatefulSet, synthesize,
} from '../lib';

const services = Number(process.argv[2] ?? 10);
// Where to write: a stable directory, like a project's dist/, so caches keyed by it apply.
const outdir = process.argv[3] ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'dist');
const validate = process.argv[4] !== 'no-checks';
// An edit: service number <edit> (modulo the count) gets another image tag, as a commit that
// changes one service would. The benchmark edits a different one on every run.
const edit = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
const started = process.hrtime.bigint();

const app = new App();
new PlatformNamespace(app, 'namespace', { name: 'bench', istioInjection: true, resourceQuota: { pods: 100_000 } });
// The store every ExternalSecret names: in the output, as the platform-reference check requires.
const stores = new Chart(app, 'secret-store', { disableResourceNameHashes: true });
new KubeServiceAccount(stores, 'ServiceAccount', { metadata: { name: 'external-secrets-vault', namespace: 'bench' }, automountServiceAccountToken: false });
new ClusterSecretStore(stores, 'Vault', {
  name: 'vault',
  namespaces: ['bench'],
  provider: SecretStoreProvider.vault({ server: 'https://vault.example.com:8200', path: 'secret', role: 'bench', serviceAccount: { name: 'external-secrets-vault', namespace: 'bench' } }),
});
for (let i = 0; i < services; i++) {
  const name = `svc-${String(i).padStart(4, '0')}`;
  const canary = i % 5 === 0;
  const service = new MicroserviceChart(app, name, {
    namespace: 'bench',
    partOf: 'bench',
    image: `registry.example.com/bench/${name}:v1.0.${i}${edit !== undefined && edit % services === i ? `-edit${edit}` : ''}`,
    port: 8080,
    readinessProbe: Probe.http('/ready'),
    config: { data: { database: { host: 'mysql.database.svc', port: 3306, name }, featureFlags: { index: i } } },
    secrets: SecretSource.fromExternalSecret({ storeName: 'vault', keys: { 'db-password': { remoteKey: name, property: 'db-password' } } }),
    autoscaling: { minReplicas: 2, maxReplicas: 10 },
    // Each service is called by its predecessor: a chain through the whole platform.
    callers: i > 0 ? [`svc-${String(i - 1).padStart(4, '0')}`] : [],
    egress: [{ namespace: 'database', ports: [3306] }],
    ingress: i % 10 === 0 ? { host: `${name}.example.com` } : undefined,
    canary: canary ? { image: `registry.example.com/bench/${name}:v1.1.${i}` } : undefined,
    migration: i % 4 === 1 ? { command: ['/app/migrate', 'up'] } : undefined,
    // Every tenth service: ServiceMonitor, sidecar PodMonitor, SLO PrometheusRule and Grafana dashboard.
    monitoring: i % 10 === 5 ? { istioProxyMetrics: true, slo: { availability: { targetPercent: 99.9 }, latency: { targetPercent: 99, thresholdMs: 500 } } } : undefined,
  });
  if (i % 10 === 3) {
    new ServiceScheduledTask(service, 'Cleanup', { service, name: 'cleanup', schedule: '15 3 * * *', container: { command: ['/app/cleanup'] } });
  }
  if (i % 25 === 7) {
    new ServiceStatefulSet(new Chart(app, `${name}-cache`, { namespace: 'bench', disableResourceNameHashes: true }), 'Cache', {
      name: `${name}-cache`,
      image: 'registry.example.com/bench/redis:7.2.4',
      ports: [{ name: 'redis', port: 6379 }],
      readinessProbe: Probe.tcp(),
      livenessProbe: Probe.tcp(),
      replicas: 3,
      volumeMounts: [{ volume: 'data', path: '/data' }],
      volumeClaimTemplates: [{ name: 'data', size: '1Gi' }],
      ingressSources: [{ namespace: 'bench', podLabels: { app: name } }],
    });
  }
  new CanaryRoute(service, 'Route', {
    service,
    weights: canary ? { v1: 90, v2: 10 } : undefined,
    routes: canary ? [{ match: [Match.header('x-user-type', 'tester')], destinations: [{ subset: 'v2' }] }] : [],
    defaultRoute: { timeout: '5s', retries: { attempts: 2, perTryTimeout: '2s', retryOn: ['5xx', 'connect-failure'] } },
    trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 } },
  });
}
new MeshSecurity(app, 'mesh-security', { namespace: 'bench', tracingSamplingPercentage: 10 });
const result = synthesize({ apps: { bench: app }, outdir, checks: validate ? defaultChecks() : [] });
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({
  services,
  objects: result.objectCount,
  bytes: result.bytes,
  wallMs: Math.round(wallMs),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  nodeOptions: process.execArgv,
  outdir,
}));
// As main.ts does: everything is written; skip tearing down the heap and the worker thread.
process.exit(0);
