import { App } from 'cdk8s';
import { ConfigurationError, defaultChecks, PlatformNamespace, PlatformNamespaceProps, renderApp } from '../../lib';

function build(props: Partial<PlatformNamespaceProps>) {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: 'shop', ...props });
  return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
}
const get = (objects: any[], kind: string) => objects.find((o) => o.manifest.kind === kind)!.manifest;

describe('PlatformNamespace policy', () => {
  test('a Pod Security level per mode', () => {
    const labels = get(build({ podSecurityLevel: 'baseline', podSecurityModes: { audit: 'restricted', warn: 'restricted' } }), 'Namespace').metadata.labels;
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('quota on object counts and storage, limit ranges for containers, pods and claims; every default check passes', () => {
    const objects = build({
      resourceQuota: {
        requestsCpu: '10', pods: 50, requestsStorage: '500Gi', storageClassRequests: { 'rook-ceph-block': '200Gi' },
        objectCounts: { 'persistentvolumeclaims': 10, 'services.loadbalancers': 0, 'count/jobs.batch': 20, 'count/cronjobs.batch': 5 },
      },
      limitRange: {
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        min: { cpu: '10m', memory: '16Mi' },
        max: { cpu: '4', memory: '8Gi' },
        pod: { max: { cpu: '8', memory: '16Gi' } },
        persistentVolumeClaim: { min: '1Gi', max: '100Gi' },
      },
    });
    expect(get(objects, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '10', 'pods': 50, 'requests.storage': '500Gi', 'rook-ceph-block.storageclass.storage.k8s.io/requests.storage': '200Gi',
      'persistentvolumeclaims': 10, 'services.loadbalancers': 0, 'count/jobs.batch': 20, 'count/cronjobs.batch': 5,
    });
    expect(get(objects, 'LimitRange').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, min: { cpu: '10m', memory: '16Mi' }, max: { cpu: '4', memory: '8Gi' } },
      { type: 'Pod', max: { cpu: '8', memory: '16Gi' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '100Gi' } },
    ]);
    expect(defaultChecks().flatMap((c) => c.check(objects))).toEqual([]);
  });

  test.each([
    ['warn looser than enforce', { podSecurityModes: { warn: 'baseline' } }, /invalid podSecurityModes\.warn: "baseline"; allowed: a level at least as strict as enforce \("restricted"\)/],
    ['an unknown level', { podSecurityModes: { audit: 'strict' } }, /invalid podSecurityModes\.audit: "strict"/],
    ['an unknown object count', { resourceQuota: { objectCounts: { widgets: 3 } } }, /invalid resourceQuota\.objectCounts key: "widgets"/],
    ['a negative count', { resourceQuota: { objectCounts: { secrets: -1 } } }, /invalid resourceQuota\.objectCounts\.secrets: -1/],
    ['a storage size that is not a quantity', { limitRange: { persistentVolumeClaim: { max: 'huge' } } }, /invalid limitRange\.persistentVolumeClaim\.max: "huge"/],
  ])('%s is refused with the field', (_, props, message) => {
    let error: unknown;
    try { build(props as any); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
