import { App } from 'cdk8s';
import { ConfigurationError, defaultChecks, MicroserviceChart, MicroserviceChartProps, PlatformNamespace, renderApp } from '../../lib';
import { IMAGE } from '../helpers';

const NS = 'shop';

function build(props: Partial<MicroserviceChartProps>) {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: NS });
  new MicroserviceChart(app, 'product-service', { namespace: NS, image: IMAGE, ...props });
  new MicroserviceChart(app, 'order-service', { namespace: NS, image: IMAGE });
  return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
}
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.manifest.kind === kind && o.manifest.metadata.name === name)!.manifest;

describe('several named ports, LoadBalancer, headless', () => {
  const objects = build({
    additionalPorts: [{ name: 'grpc', port: 9090 }, { name: 'admin', port: 9000, servicePort: 8000, appProtocol: 'http' }],
    callers: ['order-service'],
    serviceType: 'LoadBalancer',
    serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
    loadBalancerSourceRanges: ['10.0.0.0/8'],
  });

  test('the container declares each port, the Service exposes each with its appProtocol', () => {
    const c = find(objects, 'Deployment', 'product-service').spec.template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'grpc', containerPort: 9090, protocol: 'TCP' },
      { name: 'admin', containerPort: 9000, protocol: 'TCP' },
    ]);
    const svc = find(objects, 'Service', 'product-service');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
    expect(svc.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort, p.appProtocol])).toEqual([
      ['http', 80, 'http', 'http'], ['grpc', 9090, 'grpc', 'grpc'], ['admin', 8000, 'admin', 'http'],
    ]);
  });

  test('NetworkPolicies follow the ports: callers are admitted, and may call out, on each', () => {
    const ingress = find(objects, 'NetworkPolicy', 'product-service').spec.ingress;
    expect(ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: { app: 'order-service' } } }], ports: [8080, 9090, 9000].map((port) => ({ protocol: 'TCP', port })) });
    const egress = find(objects, 'NetworkPolicy', 'order-service').spec.egress;
    expect(egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'product-service' } } }], ports: [8080, 9090, 9000].map((port) => ({ protocol: 'TCP', port })) });
  });

  test('passes every default check', () => {
    expect(defaultChecks().flatMap((c) => c.check(objects))).toEqual([]);
  });

  test('headless', () => {
    expect(find(build({ headless: true }), 'Service', 'product-service').spec.clusterIP).toBe('None');
  });

  test.each([
    ['a port name used twice', { additionalPorts: [{ name: 'grpc', port: 9090 }, { name: 'grpc', port: 9091 }] }, /invalid additionalPorts names: "grpc"; allowed: each value at most once/],
    ['the http port again', { additionalPorts: [{ name: 'grpc', port: 8080 }] }, /invalid additionalPorts\[0\]\.port: 8080; allowed: a port other than the http port/],
    ['the name http', { additionalPorts: [{ name: 'http', port: 9090 }] }, /invalid additionalPorts\[0\]\.name: "http"/],
    ['a name over 15 characters', { additionalPorts: [{ name: 'a-very-long-port-name', port: 9090 }] }, /invalid additionalPorts\[0\]\.name: "a-very-long-port-name"/],
    ['an unknown appProtocol', { additionalPorts: [{ name: 'x', port: 9090, appProtocol: 'carrier-pigeon' }] }, /invalid additionalPorts\[0\]\.appProtocol: "carrier-pigeon"/],
    ['source ranges without a LoadBalancer', { loadBalancerSourceRanges: ['10.0.0.0/8'] }, /invalid loadBalancerSourceRanges: \["10\.0\.0\.0\/8"\]; allowed: source ranges only with serviceType "LoadBalancer"/],
    ['headless NodePort', { headless: true, serviceType: 'NodePort' }, /invalid headless: true; allowed: headless only with serviceType "ClusterIP"/],
  ])('%s is refused with the field', (_, props, message) => {
    let error: unknown;
    try { build(props as any); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('scheduling beyond the service\'s own pods', () => {
  test('node affinity, pod affinity, extra anti-affinity (added to the soft spreading of its replicas), priority, zone spread', () => {
    const objects = build({
      pod: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-pool', operator: 'In', values: ['general'] }] }] } },
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'redis' } }, topologyKey: 'kubernetes.io/hostname' } }] },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }] },
        priorityClassName: 'business-critical',
        topologySpread: [{ whenUnsatisfiable: 'DoNotSchedule' }],
      },
    });
    const pod = find(objects, 'Deployment', 'product-service').spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key).toBe('node-pool');
    expect(pod.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels).toEqual({ app: 'redis' });
    expect(pod.affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'product-service' } }, topologyKey: 'kubernetes.io/hostname' } }],
    });
    expect(pod.priorityClassName).toBe('business-critical');
    expect(pod.topologySpreadConstraints).toEqual([{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'product-service' } } }]);
    expect(defaultChecks().flatMap((c) => c.check(objects))).toEqual([]);
  });

  test.each([
    ['a bad topology key', { topologySpread: [{ topologyKey: 'not a key' }] }, /invalid pod\.topologySpread\[0\]\.topologyKey: "not a key"/],
    ['maxSkew 0', { topologySpread: [{ maxSkew: 0 }] }, /invalid pod\.topologySpread\[0\]\.maxSkew: 0/],
    ['a bad priority class', { priorityClassName: 'Critical!' }, /invalid pod\.priorityClassName: "Critical!"/],
  ])('%s is refused with the field', (_, pod, message) => {
    let error: unknown;
    try { build({ pod } as any); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
