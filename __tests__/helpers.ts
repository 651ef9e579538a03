import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { MicroserviceChart, PlatformNamespace, renderApp } from '../lib';

/** Every object `app` renders, in output order. */
export function render(app: App): any[] {
  return renderApp(app).flatMap((f) => f.objects.map((o) => o.manifest));
}

/** The one object of `kind` named `name` (fails the test when there is not exactly one). */
export function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** All objects of `kind`. */
export function all(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

/** The (single) application container of a Deployment. */
export function container(deployment: any): any {
  return deployment.spec.template.spec.containers[0];
}

/** A valid image for tests. */
export const IMAGE = 'harbor.example.com/ecommerce/user-service:v1.2.3';

/** Every file under `dir`, relative path → content, in name order. */
export function readTree(dir: string): Record<string, string> {
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

/** The project root. */
export const ROOT = path.join(__dirname, '..');

/**
 * A scratch copy of the canary state files and of dist/, so the canary command can be run
 * without touching the repository: `env` points it at the copies.
 */
export function canarySandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-'));
  fs.mkdirSync(path.join(dir, 'config'));
  for (const f of ['dev.canary.json', 'prod.canary.json']) fs.copyFileSync(path.join(ROOT, 'config', f), path.join(dir, 'config', f));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  const stateFile = path.join(dir, 'config', 'prod.canary.json');
  const userServiceFile = path.join(dir, 'dist', 'prod', '50-user-service.yaml');
  return {
    env: { ...process.env, CANARY_STATE_DIR: path.join(dir, 'config'), DIST_DIR: path.join(dir, 'dist') },
    /** The prod state of user-service. */
    state: () => JSON.parse(fs.readFileSync(stateFile, 'utf8'))['user-service'],
    /** Everything a canary command may change, for before/after comparisons. */
    snapshot: () => fs.readFileSync(stateFile, 'utf8') + fs.readFileSync(userServiceFile, 'utf8'),
    userServiceFile,
  };
}

/** The canary command's arguments as run by node with the SWC hook. */
export function canaryCommand(...args: string[]): string[] {
  return ['scripts/run.js', 'bin/canary.ts', ...args];
}

/**
 * A namespace and two services, user-service with fixed `replicas`: between two synths with
 * different `replicas`, one file changes and the others do not.
 */
export function twoServiceApp(replicas: number): App {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'shop' });
  new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', replicas, autoscaling: false });
  new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop' });
  return app;
}

/** The error of class `type` that `fn` throws (fails the test when it throws nothing or something else). */
export function thrownBy<T extends Error>(type: new (...args: any[]) => T, fn: () => unknown): T {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw new Error(`expected a ${type.name}, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}

/**
 * JavaScript that builds a few services with the library `library` (what `require` is given) and
 * prints, as JSON, whether the last two services' objects share V8 hidden classes: their
 * Deployment props, probe, pod labels and container. Run it with `node --allow-natives-syntax`.
 * Objects built by a leading spread plus more properties get one hidden class each in Node 20
 * (scripts/emit-options.js), which is what this detects.
 */
export function hiddenClassProbe(library: string): string {
  return `
const { App } = require('cdk8s');
const { MicroserviceChart, Probe } = require(${JSON.stringify(library)});
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
const app = new App();
const deployments = [0, 1, 2, 3].map((i) => new MicroserviceChart(app, 'svc-' + i, {
  namespace: 'shop', image: 'registry.example.com/shop/svc-' + i + ':v1', readinessProbe: Probe.http('/ready'), autoscaling: { minReplicas: 2, maxReplicas: 4 },
}).node.findAll().find((c) => c.kind === 'Deployment'));
const [a, b] = deployments.slice(2); // the first ones warm V8's inline caches up
const container = (d) => d.props.spec.template.spec.containers[0];
console.log(JSON.stringify({
  props: sameMap(a.props, b.props),
  probe: sameMap(container(a).readinessProbe, container(b).readinessProbe),
  podLabels: sameMap(a.props.spec.template.metadata.labels, b.props.spec.template.metadata.labels),
  container: sameMap(container(a), container(b)),
}));
`;
}
