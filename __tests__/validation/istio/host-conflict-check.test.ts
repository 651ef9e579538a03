import { isCatchAll, VirtualServiceHostConflictCheck } from '../../../lib';

const vs = (name: string, namespace: string, spec: any) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec,
});
const route = (host: string) => ({ route: [{ destination: { host } }] });
const check = (...manifests: any[]) => new VirtualServiceHostConflictCheck().check(manifests.map((manifest, i) => ({ file: `f${i}.yaml`, manifest })));

describe('istio/host-conflict: VirtualServices of one gateway host from different objects, each with a catch-all', () => {
  test('two services claiming one public host on one gateway: an error on the second, naming the first', () => {
    expect(check(
      vs('user-service', 'shop', { hosts: ['user-service', 'api.example.com'], gateways: ['mesh', 'public-gateway'], http: [route('user-service')] }),
      vs('order-service', 'shop', { hosts: ['order-service', 'api.example.com'], gateways: ['mesh', 'shop/public-gateway'], http: [{ match: [{ uri: { prefix: '/' } }], ...route('order-service') }] }),
    )).toEqual([{
      file: 'f1.yaml', object: 'VirtualService/shop/order-service', path: 'spec.hosts[1]', severity: 'error', check: 'istio/host-conflict',
      message: 'VirtualService/shop/user-service (f0.yaml) also routes host "api.example.com" in the mesh and on gateway shop/public-gateway with a catch-all route: '
        + 'Istio merges the two in no defined order, so one catch-all shadows the other\'s routes; route the host from one VirtualService (by path)',
    }]);
  });

  test('in the mesh: short and fully qualified names of one Service are one host', () => {
    const findings = check(
      vs('reviews', 'bookinfo', { hosts: ['reviews'], http: [route('reviews')] }),
      vs('reviews-override', 'other', { hosts: ['reviews.bookinfo.svc.cluster.local'], http: [route('reviews.bookinfo.svc.cluster.local')] }),
    );
    expect(findings.map((f) => [f.object, f.path])).toEqual([['VirtualService/other/reviews-override', 'spec.hosts[0]']]);
    expect(findings[0].message).toContain('also routes host "reviews.bookinfo.svc.cluster.local" in the mesh');
  });

  test.each<[string, any[]]>([
    ['one object with a catch-all, the other routing paths only (a valid split)', [
      vs('a', 'shop', { hosts: ['api.example.com'], gateways: ['gw'], http: [route('a')] }),
      vs('b', 'shop', { hosts: ['api.example.com'], gateways: ['gw'], http: [{ match: [{ uri: { prefix: '/orders' } }], ...route('b') }] }),
    ]],
    ['the same host on different gateways', [
      vs('a', 'shop', { hosts: ['api.example.com'], gateways: ['public'], http: [route('a')] }),
      vs('b', 'shop', { hosts: ['api.example.com'], gateways: ['internal'], http: [route('b')] }),
    ]],
    ['one short name in two namespaces (two Services)', [
      vs('a', 'shop', { hosts: ['reviews'], http: [route('reviews')] }),
      vs('a', 'other', { hosts: ['reviews'], http: [route('reviews')] }),
    ]],
    ['TCP-only and foreign kinds', [
      vs('a', 'shop', { hosts: ['db'], tcp: [{ route: [{ destination: { host: 'db' } }] }] }),
      vs('b', 'shop', { hosts: ['db'], tcp: [{ route: [{ destination: { host: 'db' } }] }] }),
      { apiVersion: 'example.com/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec: { hosts: ['db'], http: [{}] } },
    ]],
  ])('no finding: %s', (_name, manifests) => {
    expect(check(...manifests)).toEqual([]);
  });

  test('what counts as a catch-all', () => {
    expect(isCatchAll({})).toBe(true);
    expect(isCatchAll({ match: [] })).toBe(true);
    expect(isCatchAll({ match: [{ name: 'all' }] })).toBe(true);
    expect(isCatchAll({ match: [{ headers: { a: { exact: 'b' } } }, { uri: { prefix: '/' } }] })).toBe(true);
    expect(isCatchAll({ match: [{ uri: { prefix: '/api' } }] })).toBe(false);
    expect(isCatchAll({ match: [{ uri: { prefix: '/' }, method: { exact: 'GET' } }] })).toBe(false);
  });
});
