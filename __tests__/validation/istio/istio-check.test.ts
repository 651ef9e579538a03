import { defaultChecks, IstioCheck, ISTIO_CHECKED_KINDS, re2Problem } from '../../../lib';
import { findings } from './rule-table';

describe('IstioCheck', () => {
  test('is part of the default checks, per object, and rebuilds on another thread', () => {
    const check = defaultChecks().find((c) => c.name === 'istio') as IstioCheck;
    expect(check).toBeInstanceOf(IstioCheck);
    expect(check.perObject).toBe(true);
    const { module, exportName, args } = check.threadFactory;
    const rebuilt = new (require(module)[exportName])(...args);
    expect(rebuilt).toBeInstanceOf(IstioCheck);
  });

  test('knows the nine kinds in every served apiVersion', () => {
    expect(ISTIO_CHECKED_KINDS).toEqual(expect.arrayContaining([
      'networking.istio.io/v1alpha3/VirtualService', 'networking.istio.io/v1beta1/Sidecar', 'security.istio.io/v1beta1/AuthorizationPolicy',
      'telemetry.istio.io/v1alpha1/Telemetry', 'networking.istio.io/v1/ServiceEntry',
    ]));
    expect(ISTIO_CHECKED_KINDS).toHaveLength(3 * 5 + 2 * 3 + 2);
  });

  test('skips other kinds, even with an Istio-like spec', () => {
    expect(findings({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { hosts: ['*'], http: [{ route: [{ weight: -1 }] }] } })).toEqual([]);
  });

  test('a missing spec is reported, not thrown', () => {
    expect(findings({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw' } })).toEqual([expect.objectContaining({ path: 'spec', message: 'spec is required', check: 'istio' })]);
  });

  test('reports the file and object', () => {
    const [f] = new IstioCheck().check([{ file: 'prod/80-mesh-edge.yaml', manifest: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec: { servers: [] } } }]);
    expect(f).toEqual({ file: 'prod/80-mesh-edge.yaml', object: 'Gateway/shop/gw', path: 'spec.servers', message: 'gateway must have at least one server', severity: 'error', check: 'istio' });
  });
});

describe('re2Problem (RE2 syntax, as istiod compiles it)', () => {
  test.each([
    '^(.*?;\\s*)?(canary=always)(;.*)?$', '(?i)tester', '(?P<id>[0-9]+)', '[[:alpha:]]+', '\\p{Greek}', 'a{2,5}', '\\Qa.b\\E', '^/api/v[12]/.*$',
  ])('accepts %s', (re) => expect(re2Problem(re)).toBeUndefined());

  test.each([
    ['(?<=a)b', 'look-behind'], ['(?<!a)b', 'look-behind'], ['a(?=b)', 'look-ahead'], ['a(?!b)', 'look-ahead'], ['(a)\\1', 'a backreference'],
    ['(?<n>a)\\k<n>', 'a backreference'], ['a++', 'a possessive quantifier'], ['(?>a)', 'an atomic group'], ['a{1001}', 'invalid repeat count'], ['[z-a]', 'invalid character class range'],
  ])('refuses %s (%s)', (re, what) => expect(re2Problem(re)).toContain(what));
});
