import { Finding, ManifestCheck, ManifestObject, PortableCheck } from '../../lib';
import { CheckRunner } from '../../lib/synth/check-runner';
import { SerializedManifests } from '../../lib/synth/serialized-manifests';

// Fed file by file, the runner must give every check the findings it would give over all of a
// directory's objects at once.

const finding = (file: string, object: string, check: string): Finding => ({ file, object, path: '-', message: '-', severity: 'error', check });

// One finding per object, naming it.
const perObject: PortableCheck = {
  name: 'per-object', perObject: true, threadFactory: { module: '-', exportName: '-', args: [] },
  check: (objects: readonly ManifestObject[]) => objects.map((o) => finding(o.file, o.manifest.metadata.name, 'per-object')),
};
// One finding per call, saying how many objects it saw.
const wholeSet: ManifestCheck = {
  name: 'whole-set',
  check: (objects: readonly ManifestObject[]) => [finding('-', `${objects.length} objects`, 'whole-set')],
};

const object = (name: string) => ({ metadata: { name } });

test('per-object checks run per file, the others once per directory over all its objects', () => {
  const runner = new CheckRunner([perObject, wholeSet]);
  runner.add('dev', 'dev/a.yaml', [object('a1'), object('a2')]);
  runner.add('prod', 'prod/a.yaml', [object('p1')]);
  runner.add('dev', 'dev/b.yaml', [object('b1')]);
  const findings = runner.finish(['dev', 'prod', 'empty']);
  expect(findings.get('dev')).toEqual([
    [finding('dev/a.yaml', 'a1', 'per-object'), finding('dev/a.yaml', 'a2', 'per-object'), finding('dev/b.yaml', 'b1', 'per-object')],
    [finding('-', '3 objects', 'whole-set')],
  ]);
  expect(findings.get('prod')).toEqual([[finding('prod/a.yaml', 'p1', 'per-object')], [finding('-', '1 objects', 'whole-set')]]);
  // A directory without files is still checked as a whole.
  expect(findings.get('empty')).toEqual([[], [finding('-', '0 objects', 'whole-set')]]);
});

describe('objects found clean are remembered between runs', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const k8sObject = (name: string, replicas = 1) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: { replicas: String(replicas) } });
  /** A per-object check that flags objects named `bad-*`, counting the objects it is given. */
  function countingCheck(args: unknown[] = []) {
    const seen: string[] = [];
    const check: PortableCheck = {
      name: 'counting', perObject: true, threadFactory: { module: '/counting', exportName: 'Counting', args },
      check: (objects: readonly ManifestObject[]) => objects.flatMap((o) => {
        seen.push(o.manifest.metadata.name);
        return o.manifest.metadata.name.startsWith('bad-') ? [finding(o.file, `ConfigMap/shop/${o.manifest.metadata.name}`, 'counting')] : [];
      }),
    };
    return { check, seen };
  }
  function run(cacheDir: string, objects: object[], args: unknown[] = []) {
    const { check, seen } = countingCheck(args);
    const runner = new CheckRunner([check], cacheDir);
    runner.add('prod', 'prod/a.yaml', objects);
    const findings = runner.finish(['prod']).get('prod')![0];
    runner.close();
    return { seen, findings };
  }

  test('a second run checks only what changed and what had findings; the findings are the same', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-'));
    const first = run(cacheDir, [k8sObject('a'), k8sObject('b'), k8sObject('bad-c')]);
    expect(first.seen).toEqual(['a', 'b', 'bad-c']);
    const second = run(cacheDir, [k8sObject('a'), k8sObject('b', 2), k8sObject('bad-c')]);
    expect(second.seen).toEqual(['b', 'bad-c']);
    expect(second.findings).toEqual(first.findings);
  });

  test('what a run finds clean is appended to the file; a line cut short is dropped', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-'));
    run(cacheDir, [k8sObject('a'), k8sObject('b')]);
    const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.startsWith('clean-objects-'))!);
    const before = fs.readFileSync(file, 'utf8');
    run(cacheDir, [k8sObject('a'), k8sObject('b', 2)]);
    const after = fs.readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length).split('\n').filter((l) => l.length > 0)).toHaveLength(1);
    // A last line cut short is not trusted: that object is checked again, the others are not.
    fs.writeFileSync(file, after.trimEnd().slice(0, -1));
    expect(run(cacheDir, [k8sObject('a'), k8sObject('b'), k8sObject('b', 2)]).seen).toEqual(['b']);
    expect(run(cacheDir, [k8sObject('a'), k8sObject('b'), k8sObject('b', 2)]).seen).toEqual([]);
  });

  test('other check arguments (another configuration) start over; no cache directory remembers nothing', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-'));
    run(cacheDir, [k8sObject('a')]);
    expect(run(cacheDir, [k8sObject('a')], ['strict']).seen).toEqual(['a']);
    const runner = new CheckRunner([countingCheck().check], null);
    runner.add('prod', 'prod/a.yaml', [k8sObject('a')]);
    expect(fs.readdirSync(cacheDir).filter((f) => f.startsWith('clean-objects-'))).toHaveLength(2);
  });
});

describe('findings over whole directories are remembered with the content they were found on', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const k8sObject = (name: string, replicas = 1) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: { replicas: String(replicas) } });
  /** A whole-directory check with one finding naming how many objects and files it saw, counting its calls. */
  function countingCheck(args: unknown[] = [], portable = true) {
    const calls: number[] = [];
    const check: ManifestCheck & Partial<PortableCheck> = {
      name: 'whole-set',
      ...(portable ? { threadFactory: { module: '/whole', exportName: 'Whole', args } } : {}),
      check: (objects: readonly ManifestObject[]) => {
        calls.push(objects.length);
        return [finding(objects.map((o) => o.file).join(','), `${objects.length} objects`, 'whole-set')];
      },
    };
    return { check, calls };
  }
  function run(cacheDir: string | null, files: Record<string, object[]>, options: { args?: unknown[]; portable?: boolean; encoded?: boolean; output?: string } = {}) {
    const { check, calls } = countingCheck(options.args, options.portable);
    const runner = new CheckRunner([check], cacheDir, options.output);
    for (const [rel, objects] of Object.entries(files)) {
      runner.add(rel.split('/')[0], rel, objects, options.encoded ? SerializedManifests.encode(objects) : undefined);
    }
    const findings = runner.finish(['prod', 'dev']);
    runner.close();
    return { calls, prod: findings.get('prod')![0], dev: findings.get('dev')![0] };
  }
  const cacheDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'directory-findings-'));

  test('the same content again gives the same findings without checking; any change checks anew', () => {
    const dir = cacheDir();
    const files = { 'prod/a.yaml': [k8sObject('a'), k8sObject('b')], 'prod/b.yaml': [k8sObject('c')], 'dev/a.yaml': [k8sObject('a')] };
    const first = run(dir, files);
    expect(first.calls).toEqual([3, 1]);
    expect(first.prod).toEqual([finding('prod/a.yaml,prod/a.yaml,prod/b.yaml', '3 objects', 'whole-set')]);
    // Encoded by the caller or by the runner, the content is the same.
    const second = run(dir, files, { encoded: true });
    expect(second.calls).toEqual([]);
    expect([second.prod, second.dev]).toEqual([first.prod, first.dev]);
    // One object changed: its directory is checked again, the other is not.
    const changed = run(dir, { ...files, 'prod/b.yaml': [k8sObject('c', 2)] });
    expect(changed.calls).toEqual([3]);
    // The same objects under another file name, or in another order, are other content.
    expect(run(dir, { 'prod/a.yaml': files['prod/a.yaml'], 'prod/c.yaml': [k8sObject('c', 2)], 'dev/a.yaml': files['dev/a.yaml'] }).calls).toEqual([3]);
    expect(run(dir, { 'prod/a.yaml': [k8sObject('b'), k8sObject('a')], 'prod/c.yaml': [k8sObject('c', 2)], 'dev/a.yaml': files['dev/a.yaml'] }).calls).toEqual([3]);
    // Objects moved between files with the same bytes overall are other content too.
    const moved = run(dir, { 'prod/a.yaml': [k8sObject('a')], 'prod/b.yaml': [k8sObject('b'), k8sObject('c')], 'dev/a.yaml': files['dev/a.yaml'] });
    expect(moved.calls).toEqual([3]);
    expect(moved.prod).toEqual([finding('prod/a.yaml,prod/b.yaml,prod/b.yaml', '3 objects', 'whole-set')]);
  });

  test('each output keeps its own entry: synthesizing another output in between does not undo it', () => {
    const dir = cacheDir();
    const a = { 'prod/a.yaml': [k8sObject('a')] };
    const b = { 'prod/a.yaml': [k8sObject('b')] };
    run(dir, a, { output: '/project-a/dist' });
    expect(run(dir, b, { output: '/project-b/dist' }).calls).toEqual([1, 0]);
    expect(run(dir, a, { output: '/project-a/dist' }).calls).toEqual([]);
    expect(run(dir, b, { output: '/project-b/dist' }).calls).toEqual([]);
  });

  test('other check arguments, checks that cannot be keyed, no cache directory or a damaged entry check anew', () => {
    const dir = cacheDir();
    const files = { 'prod/a.yaml': [k8sObject('a')] };
    run(dir, files);
    expect(run(dir, files).calls).toEqual([]);
    expect(run(dir, files, { args: ['strict'] }).calls).toEqual([1, 0]);
    expect(run(dir, files, { portable: false }).calls).toEqual([1, 0]);
    expect(run(null, files).calls).toEqual([1, 0]);
    for (const name of fs.readdirSync(dir).filter((f) => f.startsWith('directory-findings-'))) fs.writeFileSync(path.join(dir, name), '{"content": ');
    expect(run(dir, files).calls).toEqual([1, 0]);
    expect(run(dir, files).calls).toEqual([]);
  });
});
