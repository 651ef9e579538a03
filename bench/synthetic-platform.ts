// Child process of the benchmark: builds a synthetic platform of N services using the library's
// full per-service feature set, synthesizes it (with every check) into a temporary directory and
// prints one JSON line of measurements.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { defaultChecks, MicroserviceChart, PlatformNamespace, Probe, SecretSource, synthesize } from '../lib';

const services = Number(process.argv[2] ?? 10);
const validate = process.argv[3] !== 'no-checks';
const started = process.hrtime.bigint();

const app = new App();
new PlatformNamespace(app, 'namespace', { name: 'bench', istioInjection: true, resourceQuota: { pods: 100_000 } });
for (let i = 0; i < services; i++) {
  const name = `svc-${String(i).padStart(4, '0')}`;
  new MicroserviceChart(app, name, {
    namespace: 'bench',
    partOf: 'bench',
    image: `registry.example.com/bench/${name}:v1.0.${i}`,
    port: 8080,
    readinessProbe: Probe.http('/ready'),
    config: { data: { database: { host: 'mysql.database.svc', port: 3306, name }, featureFlags: { index: i } } },
    secrets: SecretSource.fromExternalSecret({ storeName: 'vault', keys: { 'db-password': { remoteKey: name, property: 'db-password' } } }),
    autoscaling: { minReplicas: 2, maxReplicas: 10 },
    // Each service is called by its predecessor: a chain through the whole platform.
    callers: i > 0 ? [`svc-${String(i - 1).padStart(4, '0')}`] : [],
    egress: [{ namespace: 'database', ports: [3306] }],
    ingress: i % 10 === 0 ? { host: `${name}.example.com` } : undefined,
  });
}
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'dist');
const result = synthesize({ apps: { bench: app }, outdir, checks: validate ? defaultChecks() : [] });
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({
  services,
  objects: result.objectCount,
  bytes: result.bytes,
  wallMs: Math.round(wallMs),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  outdir,
}));
