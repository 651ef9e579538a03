import { labelSelectorMatches, ManifestObject, MonitoringReferenceCheck, SchemaCheck } from '../../lib';

const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const service = {
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'user-service', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'user-service' } },
  spec: { selector: { app: 'user-service' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 'metrics' }] },
};
const deployment = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'user-service', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'user-service' } },
    template: {
      metadata: { labels: { 'app': 'user-service', 'app.kubernetes.io/name': 'user-service' }, annotations },
      spec: { containers: [{ name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    },
  },
});
const serviceMonitor = (spec: Record<string, unknown>, namespace = 'shop') => ({
  apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'user-service', namespace },
  spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'user-service' } }, endpoints: [{ port: 'http' }], ...spec },
});
const podMonitor = (spec: Record<string, unknown>) => ({
  apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'user-service', namespace: 'shop' },
  spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'user-service' } }, podMetricsEndpoints: [{ port: 'http' }], ...spec },
});

function run(...manifests: any[]) {
  const objects: ManifestObject[] = manifests.map((manifest) => ({ file: 'shop/50-user-service.yaml', manifest }));
  return new MonitoringReferenceCheck().check(objects).map((f) => ({ object: f.object, path: f.path, message: f.message, check: f.check }));
}

describe('cross-reference/monitoring', () => {
  test.each([
    ['ServiceMonitor on the Service\'s http port', serviceMonitor({})],
    ['ServiceMonitor on its metrics port', serviceMonitor({ endpoints: [{ port: 'metrics' }] })],
    ['ServiceMonitor in monitoring selecting the Service through namespaceSelector', serviceMonitor({ namespaceSelector: { matchNames: ['shop'] } }, 'monitoring')],
    ['ServiceMonitor selecting with matchExpressions', serviceMonitor({ selector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['user-service', 'x'] }] } })],
    ['ServiceMonitor over any namespace (not judged)', serviceMonitor({ namespaceSelector: { any: true }, selector: { matchLabels: { app: 'nothing' } } })],
    ['ServiceMonitor into a namespace this output does not render (not judged)', serviceMonitor({ namespaceSelector: { matchNames: ['kube-system'] }, selector: { matchLabels: { app: 'kube-dns' } } })],
    ['PodMonitor on the container port', podMonitor({})],
    ['PodMonitor on the injected Istio sidecar port', podMonitor({ podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus' }] })],
  ])('valid: %s', (_name, monitor) => {
    expect(run(ns, service, deployment(), monitor)).toEqual([]);
  });

  test.each([
    ['ServiceMonitor selecting no Service', serviceMonitor({ selector: { matchLabels: { 'app.kubernetes.io/name': 'usr-service' } } }),
      'ServiceMonitor/shop/user-service', 'spec.selector', 'selects no Service: no Service in "shop" has labels matching {"matchLabels":{"app.kubernetes.io/name":"usr-service"}}'],
    ['ServiceMonitor naming a port the Service lacks', serviceMonitor({ endpoints: [{ port: 'http' }, { port: 'prometheus' }] }),
      'ServiceMonitor/shop/user-service', 'spec.endpoints[1].port', 'no selected Service (user-service) has a port named "prometheus"; their named ports: http, metrics'],
    ['ServiceMonitor in monitoring without a namespaceSelector', serviceMonitor({}, 'monitoring'),
      'ServiceMonitor/monitoring/user-service', 'spec.selector', 'selects no Service: no Service in "monitoring" has labels matching {"matchLabels":{"app.kubernetes.io/name":"user-service"}}'],
    ['PodMonitor selecting no pods', podMonitor({ selector: { matchLabels: { app: 'user' } } }),
      'PodMonitor/shop/user-service', 'spec.selector', 'selects no pods: no pod template in "shop" has labels matching {"matchLabels":{"app":"user"}}'],
    ['PodMonitor naming a port no container declares', podMonitor({ podMetricsEndpoints: [{ port: 'metrics' }] }),
      'PodMonitor/shop/user-service', 'spec.podMetricsEndpoints[0].port', 'no container of the selected pods declares a port named "metrics"'],
  ])('broken: %s', (_name, monitor, object, path, message) => {
    const monitoringNs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } };
    expect(run(ns, monitoringNs, service, deployment(), monitor)).toEqual([{ object, path, message, check: 'cross-reference/monitoring' }]);
  });

  test('the sidecar port only where a sidecar is injected', () => {
    const monitor = podMonitor({ podMetricsEndpoints: [{ port: 'http-envoy-prom' }] });
    expect(run(ns, service, deployment({ 'sidecar.istio.io/inject': 'false' }), monitor)).toEqual([
      { object: 'PodMonitor/shop/user-service', path: 'spec.podMetricsEndpoints[0].port', message: 'no container of the selected pods declares a port named "http-envoy-prom"', check: 'cross-reference/monitoring' },
    ]);
  });

  test('label selectors: matchLabels and every matchExpressions operator', () => {
    const labels = { a: '1', b: '2' };
    expect(labelSelectorMatches({ matchLabels: { a: '1' } }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { a: '2' } }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['3'] }, { key: 'a', operator: 'Exists' }, { key: 'c', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }, labels)).toBe(false);
    expect(labelSelectorMatches({}, labels)).toBe(true);
  });

  test('the monitors are checked against the Prometheus Operator CRDs too (schema check)', () => {
    const bad = serviceMonitor({ endpoints: [{ port: 'http', scheme: 'ftp' }] });
    const found = new SchemaCheck().check([{ file: 'x.yaml', manifest: bad }]);
    expect(found.map((f) => f.path)).toContain('spec.endpoints[0].scheme');
  });
});
