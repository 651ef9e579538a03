import { SchemaRegistry } from '../../lib';

const registry = SchemaRegistry.default();

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } },
  },
});

describe('SchemaRegistry', () => {
  test('a valid core object passes', () => {
    expect(registry.validate(deployment())).toEqual([]);
  });

  test('unknown fields are errors, with their path', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(registry.validate(d)).toEqual([
      { path: 'spec.template.spec.containers[0].imagePullPolicyy', message: 'unknown field "imagePullPolicyy"', check: 'schema' },
    ]);
  });

  test('wrong types and missing required fields', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].ports[0].containerPort = '80';
    delete d.spec.selector;
    const paths = registry.validate(d).map((v) => `${v.path}: ${v.message}`);
    expect(paths).toContain("spec: must have required property 'selector'");
    expect(paths).toContain('spec.template.spec.containers[0].ports[0].containerPort: must be integer');
  });

  test('custom kinds against their CRD, including CEL rules', () => {
    const vs = (timeout: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'r', namespace: 'default' },
      spec: { hosts: ['user-service'], http: [{ timeout, route: [{ destination: { host: 'user-service' } }] }] },
    });
    expect(registry.validate(vs('5s'))).toEqual([]);
    const violations = registry.validate(vs('0s'));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ path: 'spec.http[0].timeout', check: 'cel' });
    expect(violations[0].message).toMatch(/duration\(self\) >= duration\('1ms'\)/);
  });

  test('unknown kinds are reported', () => {
    expect(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0].message)
      .toMatch(/no schema for example.com\/v1\/Widget/);
  });
});

describe('SchemaRegistry caches', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const { ROOT } = require('../helpers') as typeof import('../helpers');
  const mirror = path.join(ROOT, '..', 'shared');
  const scratchCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'validator-cache-'));
  const registryWith = (cacheDir: string | null, extra: object = {}) => new SchemaRegistry({ schemaMirrors: [mirror], cacheDir, ...extra });

  test('an object found valid is answered from the cache by the next registry; a changed object is validated again', () => {
    const cacheDir = scratchCache();
    const first = registryWith(cacheDir);
    expect(first.validate(deployment())).toEqual([]);
    expect(first.cacheHits).toBe(0);
    first.persistCaches();

    const second = registryWith(cacheDir);
    expect(second.validate(deployment())).toEqual([]);
    expect(second.cacheHits).toBe(1);
    // One field changed: not the cached object any more, so the error is found.
    const changed: any = deployment();
    changed.spec.replicass = 2;
    expect(second.validate(changed)).toEqual([{ path: 'spec.replicass', message: 'unknown field "replicass"', check: 'schema' }]);
    expect(second.cacheHits).toBe(1);
  });

  test('invalid objects are never cached', () => {
    const cacheDir = scratchCache();
    const bad: any = deployment();
    bad.spec.replicass = 2;
    const first = registryWith(cacheDir);
    expect(first.validate(bad)).toHaveLength(1);
    first.persistCaches();
    const second = registryWith(cacheDir);
    expect(second.validate(bad)).toHaveLength(1);
    expect(second.cacheHits).toBe(0);
  });

  test('a change to a schema location starts a new cache, and its kinds are validated against the new content', () => {
    const cacheDir = scratchCache();
    const crd = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crds-')), 'widgets.yaml');
    fs.copyFileSync(path.join(ROOT, '__tests__', 'fixtures', 'crds', 'widgets.example.com.yaml'), crd);
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 5 } };
    const first = registryWith(cacheDir, { schemaLocations: [crd] });
    expect(first.validate(widget)).toEqual([]);
    expect(first.validate(deployment())).toEqual([]);
    first.persistCaches();
    fs.writeFileSync(crd, fs.readFileSync(crd, 'utf8').replace('minimum: 1', 'minimum: 10'));
    const second = registryWith(cacheDir, { schemaLocations: [crd] });
    expect(second.validate(deployment())).toEqual([]);
    expect(second.cacheHits).toBe(0);
    expect(second.validate(widget)).toEqual([{ path: 'spec.size', message: 'must be >= 10', check: 'schema' }]);
  });

  test('a damaged cache file is ignored, never trusted', () => {
    const cacheDir = scratchCache();
    const first = registryWith(cacheDir);
    first.validate(deployment());
    first.persistCaches();
    const file = fs.readdirSync(cacheDir).find((f) => f.startsWith('valid-objects-'))!;
    fs.writeFileSync(path.join(cacheDir, file), 'garbage\n\u0000\u0001');
    const bad: any = deployment();
    bad.spec.replicass = 2;
    const second = registryWith(cacheDir);
    expect(second.validate(bad)).toHaveLength(1);
    expect(second.validate(deployment())).toEqual([]);
    expect(second.cacheHits).toBe(0);
  });

  test('without a cache directory nothing is remembered', () => {
    const uncached = registryWith(null);
    expect(uncached.validate(deployment())).toEqual([]);
    expect(uncached.validate(deployment())).toEqual([]);
    expect(uncached.cacheHits).toBe(0);
  });
});

describe('the default cache directory', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const { execFileSync } = require('child_process') as typeof import('child_process');
  const { ROOT } = require('../helpers') as typeof import('../helpers');

  // A fresh process, since the temp directory is read from the real environment.
  function cacheDirWith(env: Record<string, string>): string | null {
    const { CDK8S_MICROSERVICES_CACHE: _ignored, ...inherited } = process.env;
    const out = execFileSync(process.execPath, ['-r', './scripts/swc-register.js', '-e',
      "const { SchemaRegistry } = require('./lib/validation/schema-registry.ts'); console.log(JSON.stringify(new SchemaRegistry().cacheDir))"],
    { cwd: ROOT, encoding: 'utf8', env: { ...inherited, ...env } });
    return JSON.parse(out);
  }

  test('is a private per-user directory under the temp directory', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tmpdir-'));
    const dir = cacheDirWith({ TMPDIR: tmp });
    expect(dir).toBe(path.join(tmp, `cdk8s-microservices-cache-${os.userInfo().uid}`));
    expect(fs.statSync(dir!).mode & 0o077).toBe(0);
  });

  test('is not used when others can write to it: its verdicts and code would be trusted', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tmpdir-'));
    const dir = path.join(tmp, `cdk8s-microservices-cache-${os.userInfo().uid}`);
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    expect(cacheDirWith({ TMPDIR: tmp })).toBeNull();
  });

  test('CDK8S_MICROSERVICES_CACHE=off disables it', () => {
    expect(cacheDirWith({ CDK8S_MICROSERVICES_CACHE: 'off' })).toBeNull();
  });
});
