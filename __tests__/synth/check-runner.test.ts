import { Finding, ManifestCheck, ManifestObject, PortableCheck } from '../../lib';
import { CheckRunner } from '../../lib/synth/check-runner';

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

  test('other check arguments (another configuration) start over; no cache directory remembers nothing', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-'));
    run(cacheDir, [k8sObject('a')]);
    expect(run(cacheDir, [k8sObject('a')], ['strict']).seen).toEqual(['a']);
    const runner = new CheckRunner([countingCheck().check], null);
    runner.add('prod', 'prod/a.yaml', [k8sObject('a')]);
    expect(fs.readdirSync(cacheDir).filter((f) => f.startsWith('clean-objects-'))).toHaveLength(2);
  });
});
