import { App } from 'cdk8s';
import { PlatformNamespace } from '../../lib';
import { all, only, render } from '../helpers';

describe('PlatformNamespace', () => {
  test('Pod Security Admission labels pinned to a version, optional sidecar injection', () => {
    const app = new App();
    new PlatformNamespace(app, 'ns', { name: 'ecommerce', istioInjection: true });
    const ns = only(render(app), 'Namespace');
    expect(ns.metadata.name).toBe('ecommerce');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.29',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'istio-injection': 'enabled',
    });
  });

  test('default-deny in both directions plus DNS for every pod', () => {
    const app = new App();
    new PlatformNamespace(app, 'ns', { name: 'shop' });
    const objects = render(app);
    expect(only(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = only(objects, 'NetworkPolicy', 'allow-dns');
    expect(dns.metadata.namespace).toBe('shop');
    expect(dns.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(only(objects, 'Namespace').metadata.labels['istio-injection']).toBeUndefined();
  });

  test('quota and limit range', () => {
    const app = new App();
    new PlatformNamespace(app, 'ns', {
      name: 'shop',
      defaultDenyNetwork: false,
      resourceQuota: { requestsCpu: '10', limitsMemory: '20Gi', pods: 50 },
      limitRange: { defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { cpu: '2', memory: '2Gi' } },
    });
    const objects = render(app);
    expect(all(objects, 'NetworkPolicy')).toHaveLength(0);
    expect(only(objects, 'ResourceQuota').spec.hard).toEqual({ 'requests.cpu': '10', 'limits.memory': '20Gi', 'pods': 50 });
    expect(only(objects, 'LimitRange').spec.limits[0]).toEqual({
      type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { cpu: '2', memory: '2Gi' },
    });
  });

  test('bad input', () => {
    expect(() => new PlatformNamespace(new App(), 'ns', { name: 'Shop' })).toThrow('[ns] invalid name: "Shop"');
    expect(() => new PlatformNamespace(new App(), 'ns', { name: 'shop', podSecurityVersion: '1.29' })).toThrow(/invalid podSecurityVersion: "1.29"/);
    expect(() => new PlatformNamespace(new App(), 'ns', { name: 'shop', resourceQuota: { requestsCpu: 'lots' } })).toThrow(/invalid resourceQuota.requestsCpu: "lots"/);
  });
});
