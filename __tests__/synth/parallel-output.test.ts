import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  CanaryRoute, defaultChecks, Finding, ManifestCheck, ManifestCheckError, ManifestObject, MeshSecurity, MicroserviceChart,
  PARALLEL_OUTPUT_THRESHOLD, PortableCheck, PlatformNamespace, SchemaCheck, synthesize, SynthesizeOptions,
} from '../../lib';
import { IMAGE, readTree, ROOT } from '../helpers';

// The parallel path (checks and YAML on worker threads) must be indistinguishable from the inline
// one: same bytes, same findings in the same order, same refusal to touch dist/ on failure.

function scratch(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-')), 'dist');
}

function platform(services: number, broken = false): Record<string, App> {
  const apps: Record<string, App> = {};
  for (const env of ['dev', 'prod']) {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
    for (let i = 0; i < services; i++) {
      const name = `svc-${i}`;
      const service = new MicroserviceChart(app, name, {
        image: IMAGE, namespace: 'shop', callers: i > 0 ? [`svc-${i - 1}`] : [], config: { data: { index: i } },
        canary: i % 3 === 0 ? { image: IMAGE } : undefined,
      });
      new CanaryRoute(service, 'Route', { service, weights: i % 3 === 0 ? { v1: 90, v2: 10 } : undefined });
    }
    new MeshSecurity(app, 'mesh', { namespace: 'shop' });
    if (broken) {
      const chart = new Chart(app, 'broken');
      new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken', namespace: 'shop' }, spec: { replicass: 1 } });
      new ApiObject(chart, 'c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'nowhere' }, data: { a: 'b' } });
    }
    apps[env] = app;
  }
  return apps;
}

function run(options: Omit<SynthesizeOptions, 'apps' | 'outdir'> & { apps?: Record<string, App>; outdir?: string }) {
  const outdir = options.outdir ?? scratch();
  const result = synthesize({ apps: options.apps ?? platform(12), outdir, checks: defaultChecks(), ...options });
  return { result, files: readTree(outdir), outdir };
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('parallel output', () => {
  test('small outputs stay on the main thread by default: the check is not rebuilt on a worker', () => {
    const seen: number[] = [];
    const unbuildableElsewhere: PortableCheck = {
      name: 'main-only', perObject: true,
      check: (objects) => { seen.push(objects.length); return []; },
      threadFactory: { module: path.join(os.tmpdir(), 'no-such-check-module.js'), exportName: 'Nothing', args: [] },
    };
    const apps = platform(2);
    const objects = Object.values(apps).reduce((n, a) => n + a.node.findAll().filter((c) => ApiObject.isApiObject(c)).length, 0);
    expect(objects).toBeLessThan(PARALLEL_OUTPUT_THRESHOLD);
    synthesize({ apps, outdir: scratch(), checks: [unbuildableElsewhere], cacheDir: null });
    expect(seen.reduce((a, b) => a + b, 0)).toBe(objects);
  });

  test('writes the same bytes, result and findings as the inline path', () => {
    const inline = run({ parallelOutput: false });
    const parallel = run({ parallelOutput: true });
    expect(Object.keys(parallel.files).length).toBeGreaterThan(20);
    expect(parallel.files).toEqual(inline.files);
    expect([...parallel.result.files.keys()]).toEqual([...inline.result.files.keys()]);
    expect(parallel.result.objectCount).toBe(inline.result.objectCount);
    expect(parallel.result.bytes).toBe(inline.result.bytes);
    expect(parallel.result.findings).toEqual(inline.result.findings);
    expect(fs.readdirSync(path.dirname(parallel.outdir))).toEqual(['dist']); // nothing staged is left
  });

  test('a dry run writes nothing and returns the same files', () => {
    const outdir = scratch();
    const parallel = synthesize({ apps: platform(3), outdir, checks: defaultChecks(), parallelOutput: true, dryRun: true });
    const inline = synthesize({ apps: platform(3), outdir, checks: defaultChecks(), parallelOutput: false, dryRun: true });
    expect(fs.existsSync(path.dirname(outdir)) && fs.readdirSync(path.dirname(outdir))).toEqual([]);
    // The worker's files are decoded as they are read: compare as maps.
    expect(new Map(parallel.files)).toEqual(new Map(inline.files));
  });

  test('errors found on the worker are reported as inline, in the same order, and dist/ is untouched', () => {
    const outdir = scratch();
    run({ outdir, parallelOutput: false });
    const before = readTree(outdir);
    const inline = thrown(() => synthesize({ apps: platform(4, true), outdir, checks: defaultChecks(), parallelOutput: false })) as ManifestCheckError;
    const parallel = thrown(() => synthesize({ apps: platform(4, true), outdir, checks: defaultChecks(), parallelOutput: true })) as ManifestCheckError;
    expect(parallel).toBeInstanceOf(ManifestCheckError);
    expect(parallel.findings).toEqual(inline.findings);
    expect(parallel.findings.some((f) => f.check === 'schema' && f.object === 'Deployment/shop/broken' && f.path === 'spec')).toBe(true);
    // A check over all objects of a directory, run on the worker after the last file.
    expect(parallel.findings.some((f) => f.check === 'cross-reference' && f.object === 'ConfigMap/nowhere/stray' && f.path === 'metadata.namespace')).toBe(true);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  test('checks without a thread factory run on the main thread, and findings keep the order of the checks', () => {
    const seen: number[] = [];
    const mainThreadCheck: ManifestCheck = {
      name: 'main-thread',
      check: (objects: readonly ManifestObject[]): Finding[] => {
        seen.push(objects.length);
        return [{ file: objects[0].file, object: '-', path: '-', message: 'counted', severity: 'error', check: 'main-thread' }];
      },
    };
    const checks = [new SchemaCheck(), mainThreadCheck, new SchemaCheck()];
    const inline = thrown(() => synthesize({ apps: platform(2, true), outdir: scratch(), checks, parallelOutput: false })) as ManifestCheckError;
    const parallel = thrown(() => synthesize({ apps: platform(2, true), outdir: scratch(), checks, parallelOutput: true })) as ManifestCheckError;
    expect(parallel.findings).toEqual(inline.findings);
    const sequence = parallel.findings.map((f) => `${f.file.split('/')[0]}:${f.check}`).filter((x, i, all) => x !== all[i - 1]);
    expect(sequence).toEqual(['dev:schema', 'dev:main-thread', 'dev:schema', 'prod:schema', 'prod:main-thread', 'prod:schema']);
    expect(seen).toHaveLength(4); // once per environment in each run
    expect(seen.slice(2)).toEqual(seen.slice(0, 2));
  });

  test('a worker that cannot build its checks fails the synth with the reason, without hanging or writing', () => {
    const outdir = scratch();
    run({ outdir, parallelOutput: false });
    const before = readTree(outdir);
    const unbuildable: PortableCheck = {
      name: 'unbuildable',
      perObject: true,
      check: () => [],
      threadFactory: { module: path.join(os.tmpdir(), 'no-such-check-module.js'), exportName: 'Nothing', args: [] },
    };
    const error = thrown(() => synthesize({ apps: platform(2), outdir, checks: [unbuildable], parallelOutput: true }));
    expect(error.message).toMatch(/output worker failed: building the checks: Cannot find module .*no-such-check-module/);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });
  test('from source, the worker runs its own modules and its checks\' from one bundle', () => {
    const checks = defaultChecks();
    const modules = [path.join(ROOT, 'lib', 'synth', 'output-worker.ts'), ...checks.flatMap((c) => ((c as Partial<PortableCheck>).perObject ? [(c as PortableCheck).threadFactory.module] : []))];
    const sorted = [...new Set(modules)].sort();
    const bundle = path.join(ROOT, 'node_modules', '.cache', 'run', `modules-${createHash('sha1').update(sorted.join('\0')).digest('hex').slice(0, 12)}.js`);
    fs.rmSync(bundle, { force: true });
    fs.rmSync(`${bundle}.v8`, { force: true });
    const outdir = scratch();
    synthesize({ apps: platform(2), outdir, checks, parallelOutput: true });
    expect(fs.readFileSync(bundle, 'utf8')).toContain('output-worker.ts');
    expect(readTree(outdir)).toEqual((() => {
      const inline = scratch();
      synthesize({ apps: platform(2), outdir: inline, checks, parallelOutput: false });
      return readTree(inline);
    })());
  });
});
