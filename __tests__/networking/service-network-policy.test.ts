import { App } from 'cdk8s';
import { MicroserviceChart, SynthesisError } from '../../lib';
import { IMAGE, only, render } from '../helpers';

describe('NetworkPolicies follow the declared call graph', () => {
  // Declared out of order on purpose: callers are resolved at synthesis.
  const app = new App();
  new MicroserviceChart(app, 'user-service', { image: IMAGE, callers: ['order-service'], egress: [{ namespace: 'database', ports: [3306] }] });
  new MicroserviceChart(app, 'order-service', { image: IMAGE, port: 5000, egress: [{ cidr: '203.0.113.0/24', ports: [443] }] });
  const objects = render(app);

  test('callee admits only its callers, on its container port', () => {
    const np = only(objects, 'NetworkPolicy', 'user-service');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'user-service' } });
    expect(np.spec.ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: { app: 'order-service' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  test('caller may reach exactly the services that declare it, plus its declared destinations', () => {
    const np = only(objects, 'NetworkPolicy', 'order-service');
    expect(np.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(only(objects, 'NetworkPolicy', 'user-service').spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'database' } } }], ports: [{ protocol: 'TCP', port: 3306 }] },
    ]);
  });

  test('an unknown caller fails synthesis with the list of known services', () => {
    const bad = new App();
    new MicroserviceChart(bad, 'user-service', { image: IMAGE, callers: ['ordr-service'] });
    new MicroserviceChart(bad, 'order-service', { image: IMAGE });
    // Reported by the service's validation before rendering, with every other error, not as a crash while serializing.
    expect(() => render(bad)).toThrow(SynthesisError);
    expect(() => render(bad)).toThrow('[user-service] invalid callers[0]: "ordr-service"; allowed: a service of this app in namespace "default": user-service, order-service');
  });

  test('egress needs exactly one of namespace or cidr', () => {
    expect(() => new MicroserviceChart(new App(), 'x', { image: IMAGE, egress: [{ ports: [1] }] })).toThrow(/exactly one of namespace or cidr/);
    expect(() => new MicroserviceChart(new App(), 'x', { image: IMAGE, egress: [{ cidr: '10.0.0.0', ports: [1] }] })).toThrow(/IPv4 or IPv6 CIDR/);
  });
});
