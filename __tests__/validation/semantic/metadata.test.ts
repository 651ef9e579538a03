import { MetadataCheck } from '../../../lib';
import { findingsOf, ruleTable } from './table';

const configMap = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'shop', finalizers: ['example.com/cleanup'],
  ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: '6f1c', controller: true }] }, data: {} });
ruleTable('object metadata (beyond the metadata check)', configMap, [
  ['finalizer not a qualified name', (m) => { m.metadata.finalizers = ['clean up']; }, 'metadata.finalizers[0]', 'must be a qualified name'],
  ['finalizer without a domain (warning)', (m) => { m.metadata.finalizers = ['cleanup']; }, 'metadata.finalizers[0]', 'prefer a domain-qualified finalizer name', 'warning'],
  ['owner reference without uid', (m) => { delete m.metadata.ownerReferences[0].uid; }, 'metadata.ownerReferences[0].uid', 'Required value'],
  ['two controllers', (m) => { m.metadata.ownerReferences.push({ ...m.metadata.ownerReferences[0], name: 'other' }); }, 'metadata.ownerReferences', 'Only one reference can have Controller set to true'],
]);

test('a Service name starting with a digit: a DNS label (metadata check) but not a DNS-1035 label (semantic)', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
  expect(new MetadataCheck().check([{ file: 'x', manifest: svc }])).toEqual([]);
  expect(findingsOf(svc)).toEqual([expect.objectContaining({ path: 'metadata.name', message: expect.stringContaining('DNS-1035') })]);
});
