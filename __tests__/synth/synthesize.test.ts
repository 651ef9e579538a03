import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  ManifestCheckError, MicroserviceChart, NoPlaintextSecretCheck, PlatformNamespace, SchemaCheck, synthesize, SynthesisError,
} from '../../lib';
import { IMAGE, readTree, twoServiceApp } from '../helpers';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
}


function platformApp(): App {
  const app = new App();
  new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
  new PlatformNamespace(app, 'namespace', { name: 'shop' });
  return app;
}

describe('synthesize', () => {
  test('files sort so the namespace is applied first; objects in dependency order', () => {
    const out = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: platformApp() }, outdir: out });
    const files = readTree(out);
    expect(Object.keys(files).sort()).toEqual(['prod/00-namespace.yaml', 'prod/50-user-service.yaml']);
    const kinds = [...files['prod/50-user-service.yaml'].matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    expect(kinds).toEqual(['ServiceAccount', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']);
  });

  test('output is byte-identical across runs', () => {
    const a = path.join(tmpdir(), 'dist');
    const b = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: platformApp() }, outdir: a });
    synthesize({ apps: { prod: platformApp() }, outdir: b });
    expect(readTree(a)).toEqual(readTree(b));
  });

  test('replaces the whole directory: files of removed charts disappear', () => {
    const out = path.join(tmpdir(), 'dist');
    fs.mkdirSync(path.join(out, 'prod'), { recursive: true });
    fs.writeFileSync(path.join(out, 'prod', '50-removed-service.yaml'), 'old');
    synthesize({ apps: { prod: platformApp() }, outdir: out });
    expect(fs.existsSync(path.join(out, 'prod', '50-removed-service.yaml'))).toBe(false);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']); // no staging leftovers
  });

  test('a failing check leaves the previous output untouched', () => {
    const out = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: platformApp() }, outdir: out });
    const before = readTree(out);

    const app = platformApp();
    const chart = new Chart(app, 'broken');
    new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken' }, spec: { replicass: 1, selector: {}, template: {} } });
    expect(() => synthesize({ apps: { prod: app }, outdir: out, checks: [new SchemaCheck()] })).toThrow(ManifestCheckError);
    expect(readTree(out)).toEqual(before);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });

  test('a construct validation error leaves the previous output untouched', () => {
    const out = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: platformApp() }, outdir: out });
    const before = readTree(out);
    const app = platformApp();
    app.node.findChild('user-service').node.addValidation({ validate: () => ['something is wrong'] });
    expect(() => synthesize({ apps: { prod: app }, outdir: out })).toThrow(SynthesisError);
    expect(readTree(out)).toEqual(before);
  });

  test('a plaintext Secret never reaches the output', () => {
    const out = path.join(tmpdir(), 'dist');
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 's', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'x' } });
    let error: ManifestCheckError | undefined;
    try {
      synthesize({ apps: { prod: app }, outdir: out, checks: [new NoPlaintextSecretCheck()] });
    } catch (e) {
      error = e as ManifestCheckError;
    }
    expect(error?.findings).toEqual([expect.objectContaining({ file: 'prod/50-c.yaml', object: 'Secret/db', path: 'stringData', check: 'policy/no-plaintext-secret' })]);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('re-synthesizing into an existing output', () => {
  const app = twoServiceApp;

  test.each([false, true])('unchanged files are linked from the replaced output, changed ones written (parallel: %s)', (parallelOutput) => {
    const out = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: app(2) }, outdir: out, parallelOutput });
    const inode = (rel: string) => fs.statSync(path.join(out, rel)).ino;
    const before = { order: inode('prod/50-order-service.yaml'), user: inode('prod/50-user-service.yaml') };
    synthesize({ apps: { prod: app(3) }, outdir: out, parallelOutput });
    expect(inode('prod/50-order-service.yaml')).toBe(before.order); // the same file, linked
    expect(inode('prod/50-user-service.yaml')).not.toBe(before.user);
    expect(fs.readFileSync(path.join(out, 'prod/50-user-service.yaml'), 'utf8')).toMatch(/^ {2}replicas: 3$/m);
    // The replaced output is gone; the linked file has no other name left.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    expect(fs.statSync(path.join(out, 'prod/50-order-service.yaml')).nlink).toBe(1);
    // Same bytes as a synth from scratch.
    const fresh = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: app(3) }, outdir: fresh, parallelOutput });
    expect(readTree(out)).toEqual(readTree(fresh));
  });
  test.each([false, true])('files recorded by the last synth are linked without being read; one edited since is compared and written anew (parallel: %s)', (parallelOutput) => {
    const cacheDir = tmpdir();
    const out = path.join(tmpdir(), 'dist');
    const order = path.join(out, 'prod/50-order-service.yaml');
    const second = 1_700_000_000; // a modification time utimes can set exactly
    synthesize({ apps: { prod: app(2) }, outdir: out, parallelOutput, cacheDir });
    // Touched: not the file recorded, so compared by content (equal), linked and recorded anew.
    fs.utimesSync(order, second, second);
    synthesize({ apps: { prod: app(3) }, outdir: out, parallelOutput, cacheDir });
    // Other bytes of the same length with the recorded inode, size and modification time: the
    // recorded identity is trusted (as git trusts its index) and the file is linked unread.
    const text = fs.readFileSync(order, 'utf8');
    fs.writeFileSync(order, text.replace('order-service', 'ORDER-SERVICE'));
    fs.utimesSync(order, second, second);
    synthesize({ apps: { prod: app(3) }, outdir: out, parallelOutput, cacheDir });
    expect(fs.readFileSync(order, 'utf8')).toContain('ORDER-SERVICE');
    // Edited by hand (a new modification time): compared by content, and written again.
    fs.writeFileSync(order, text.replace('order-service', 'ORDER-SERVICE'));
    synthesize({ apps: { prod: app(3) }, outdir: out, parallelOutput, cacheDir });
    expect(fs.readFileSync(order, 'utf8')).toBe(text);
    // Recorded again as written: the next synth links it.
    const ino = fs.statSync(order).ino;
    synthesize({ apps: { prod: app(2) }, outdir: out, parallelOutput, cacheDir });
    expect(fs.statSync(order).ino).toBe(ino);
    const fresh = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: app(2) }, outdir: fresh, cacheDir: null });
    expect(readTree(out)).toEqual(readTree(fresh));
  });

  test.each([false, true])('without a cache directory, unchanged files are found by content and linked (parallel: %s)', (parallelOutput) => {
    const out = path.join(tmpdir(), 'dist');
    synthesize({ apps: { prod: app(2) }, outdir: out, parallelOutput, cacheDir: null });
    const order = path.join(out, 'prod/50-order-service.yaml');
    const ino = fs.statSync(order).ino;
    synthesize({ apps: { prod: app(3) }, outdir: out, parallelOutput, cacheDir: null });
    expect(fs.statSync(order).ino).toBe(ino);
    fs.appendFileSync(order, '# edited\n');
    synthesize({ apps: { prod: app(3) }, outdir: out, parallelOutput, cacheDir: null });
    expect(fs.statSync(order).ino).not.toBe(ino);
    expect(fs.readFileSync(order, 'utf8')).not.toContain('# edited');
  });
});

describe('findings over a whole output directory', () => {
  test('are taken from the cache when the directory is exactly as last time, and found anew when it changed', () => {
    const cacheDir = tmpdir();
    const outdir = path.join(tmpdir(), 'dist');
    const seen: number[] = [];
    // A check over the whole directory that warns once, naming how many objects it saw.
    const counting = {
      name: 'counting',
      threadFactory: { module: '/counting', exportName: 'Counting', args: [] },
      check: (objects: readonly { file: string; manifest: any }[]) => {
        seen.push(objects.length);
        return [{ file: '-', object: '-', path: '-', message: `${objects.length} objects`, severity: 'warning' as const, check: 'counting' }];
      },
    };
    const first = synthesize({ apps: { prod: twoServiceApp(2) }, outdir, checks: [counting], cacheDir });
    const again = synthesize({ apps: { prod: twoServiceApp(2) }, outdir, checks: [counting], cacheDir });
    expect(seen).toHaveLength(1);
    expect(again.findings).toEqual(first.findings);
    expect(again.findings.map((f) => f.message)).toEqual([`${seen[0]} objects`]);
    synthesize({ apps: { prod: twoServiceApp(3) }, outdir, checks: [counting], cacheDir });
    expect(seen).toHaveLength(2);
    // The same in parallel: the JSON posted to the worker is what the content is keyed by.
    synthesize({ apps: { prod: twoServiceApp(3) }, outdir, checks: [counting], cacheDir, parallelOutput: true });
    synthesize({ apps: { prod: twoServiceApp(3) }, outdir, checks: [counting], cacheDir, parallelOutput: true });
    expect(seen).toHaveLength(2);
  });
});
