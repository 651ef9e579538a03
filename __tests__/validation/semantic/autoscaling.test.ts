import { ruleTable } from './table';

const hpa = () => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'Object', object: { metric: { name: 'latency' }, describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, target: { type: 'Value', value: '500m' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
  },
});
ruleTable('HorizontalPodAutoscaler', hpa, [
  ['minReplicas above maxReplicas', (m) => { m.spec.minReplicas = 12; }, 'spec.maxReplicas', 'must be greater than or equal to `minReplicas`'],
  ['minReplicas 0 (scale to zero is alpha)', (m) => { m.spec.minReplicas = 0; }, 'spec.minReplicas', 'must be greater than or equal to 1'],
  ['maxReplicas 0', (m) => { m.spec.maxReplicas = 0; }, 'spec.maxReplicas', 'must be greater than 0'],
  ['scale target without kind', (m) => { delete m.spec.scaleTargetRef.kind; }, 'spec.scaleTargetRef.kind', 'Required value'],
  ['metric type without its source', (m) => { m.spec.metrics[0].type = 'External'; }, 'spec.metrics[0].external', 'must populate information for the given metric source'],
  ['metric with two sources', (m) => { m.spec.metrics[1].resource = { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } }; }, 'spec.metrics[1].resource', 'must populate the given metric source only'],
  ['metric type unknown', (m) => { m.spec.metrics[0].type = 'Custom'; }, 'spec.metrics[0].type', 'Unsupported value: "Custom"'],
  ['Pods metric with a Value target', (m) => { m.spec.metrics[1].pods.target = { type: 'Value', value: '1' }; }, 'spec.metrics[1].pods.target.type', 'supports targets of type AverageValue'],
  ['utilization 0', (m) => { m.spec.metrics[0].resource.target.averageUtilization = 0; }, 'spec.metrics[0].resource.target.averageUtilization', 'must be greater than 0'],
  ['value not positive', (m) => { m.spec.metrics[2].object.target.value = '0'; }, 'spec.metrics[2].object.target.value', 'must be positive'],
  ['resource metric without a name', (m) => { delete m.spec.metrics[0].resource.name; }, 'spec.metrics[0].resource.name', 'must specify a resource name'],
  ['policy period above 1800', (m) => { m.spec.behavior.scaleDown.policies[0].periodSeconds = 3600; }, 'spec.behavior.scaleDown.policies[0].periodSeconds', 'less than or equal to 1800'],
  ['policy value 0', (m) => { m.spec.behavior.scaleDown.policies[0].value = 0; }, 'spec.behavior.scaleDown.policies[0].value', 'must be greater than zero'],
  ['stabilization window above an hour', (m) => { m.spec.behavior.scaleDown.stabilizationWindowSeconds = 7200; }, 'spec.behavior.scaleDown.stabilizationWindowSeconds', 'less than or equal to 3600'],
  ['selectPolicy unknown', (m) => { m.spec.behavior.scaleDown.selectPolicy = 'Average'; }, 'spec.behavior.scaleDown.selectPolicy', 'Unsupported value: "Average"'],
]);

const pdb = () => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } });
ruleTable('PodDisruptionBudget', pdb, [
  ['both minAvailable and maxUnavailable', (m) => { m.spec.minAvailable = 1; }, 'spec', 'minAvailable and maxUnavailable cannot be both set'],
  ['percentage above 100', (m) => { m.spec.maxUnavailable = '150%'; }, 'spec.maxUnavailable', 'must not be greater than 100%'],
  ['negative minAvailable', (m) => { delete m.spec.maxUnavailable; m.spec.minAvailable = -1; }, 'spec.minAvailable', 'greater than or equal to 0'],
  ['percentage malformed', (m) => { m.spec.maxUnavailable = '10 %'; }, 'spec.maxUnavailable', 'valid percent string'],
  ['selector key invalid', (m) => { m.spec.selector.matchLabels = { 'a b': 'web' }; }, 'spec.selector.matchLabels', 'invalid label key'],
  ['unhealthyPodEvictionPolicy unknown', (m) => { m.spec.unhealthyPodEvictionPolicy = 'Never'; }, 'spec.unhealthyPodEvictionPolicy', 'Unsupported value'],
]);
