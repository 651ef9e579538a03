import * as path from 'path';
import { diffEnvironment, diffToJson, diffTrees, formatDiff, loadManifests } from '../../lib';
import { ROOT } from '../helpers';

const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });

describe('output', () => {
  const before = new Map([['prod', [{ file: 'prod/a.yaml', manifest: cm('a', { X: '1' }) }, { file: 'prod/a.yaml', manifest: cm('gone', {}) }]]]);
  const after = new Map([['prod', [{ file: 'prod/a.yaml', manifest: cm('a', { X: '2' }) }, { file: 'prod/a.yaml', manifest: cm('new', {}) }]], ['dev', []]]);

  test('colours only when asked (the command asks on a terminal without NO_COLOR)', () => {
    const diff = diffTrees(before, after);
    expect(formatDiff(diff)).not.toContain('\x1b[');
    const coloured = formatDiff(diff, { color: true });
    expect(coloured).toContain('\x1b[32m+\x1b[0m ConfigMap/shop/new');
    expect(coloured).toContain('\x1b[31m-\x1b[0m ConfigMap/shop/gone');
    expect(coloured).toContain('\x1b[33m~\x1b[0m ConfigMap/shop/a');
  });

  test('long values are shortened; the summary counts every environment', () => {
    const long = 'x'.repeat(300);
    const diff = diffTrees(new Map([['prod', [{ file: 'prod/a.yaml', manifest: cm('a', { X: long }) }]]]), new Map([['prod', [{ file: 'prod/a.yaml', manifest: cm('a', { X: 'y' }) }]]]));
    const text = formatDiff(diff, { maxValueLength: 20 });
    expect(text).toContain(`      data.X: "${'x'.repeat(18)}… → "y"`);
    expect(text.split('\n').pop()).toBe('summary: 0 added, 0 removed, 1 changed in prod; 0 risk(s)');
  });

  test('the JSON names objects by id, apiVersion, kind, namespace, name and file', () => {
    const json = diffToJson(diffTrees(before, after), 'a', 'b');
    expect(json.environments.map((e) => e.environment)).toEqual(['dev', 'prod']);
    expect(json.environments[1].changed).toEqual([{ id: 'ConfigMap/shop/a', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a', file: 'prod/a.yaml', fields: [{ path: 'data.X', before: '1', after: '2' }] }]);
  });

  test('objects of the same kind name in different API groups are different objects', () => {
    const istio = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'shop' }, spec: {} };
    const gatewayApi = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'shop' }, spec: {} };
    const d = diffEnvironment('prod', [{ file: 'a', manifest: istio }], [{ file: 'a', manifest: gatewayApi }]);
    expect([d.added.length, d.removed.length, d.changed.length]).toEqual([1, 1, 0]);
  });
});

describe('dist/ works with kubectl apply --prune --applyset', () => {
  test('no object carries an applyset.kubernetes.io label or annotation (kubectl adds part-of itself and refuses input that has it), and there is no parent in the output', () => {
    const { objects, parseErrors } = loadManifests([path.join(ROOT, 'dist')], { base: path.join(ROOT, 'dist') });
    expect(parseErrors).toEqual([]);
    expect(objects.length).toBeGreaterThan(50);
    const offending = objects.filter((o) => [...Object.keys(o.manifest.metadata?.labels ?? {}), ...Object.keys(o.manifest.metadata?.annotations ?? {})]
      .some((k) => k.startsWith('applyset.kubernetes.io/')));
    expect(offending).toEqual([]);
  });
});
