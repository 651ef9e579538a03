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
