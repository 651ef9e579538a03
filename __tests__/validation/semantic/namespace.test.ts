import { ruleTable } from './table';

const quota = () => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'shop' },
  spec: { hard: { 'requests.cpu': '10', 'limits.memory': '20Gi', pods: 50, 'count/deployments.apps': '20' }, scopes: ['NotTerminating'] } });
ruleTable('ResourceQuota', quota, [
  ['quantity that does not parse', (m) => { m.spec.hard['requests.cpu'] = 'ten'; }, 'spec.hard.requests.cpu', 'must be a quantity'],
  ['negative quantity', (m) => { m.spec.hard.pods = -1; }, 'spec.hard.pods', 'greater than or equal to 0'],
  ['resource name invalid', (m) => { m.spec.hard['requests cpu'] = '1'; }, 'spec.hard.requests cpu', 'standard resource type'],
  ['scope unknown', (m) => { m.spec.scopes = ['Always']; }, 'spec.scopes[0]', 'Unsupported value: "Always"'],
  ['conflicting scopes', (m) => { m.spec.scopes = ['Terminating', 'NotTerminating']; }, 'spec.scopes', 'conflicting scopes'],
  ['scope selector In without values', (m) => { m.spec.scopeSelector = { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] }; }, 'spec.scopeSelector.matchExpressions[0].values', 'at least one value'],
]);

const limits = () => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'shop' },
  spec: { limits: [
    { type: 'Container', min: { cpu: '50m', memory: '64Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' }, max: { cpu: '2', memory: '2Gi' }, maxLimitRequestRatio: { cpu: '10' } },
    { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '100Gi' } },
  ] } });
ruleTable('LimitRange', limits, [
  ['min above max', (m) => { m.spec.limits[0].min.cpu = '3'; }, 'spec.limits[0].min.cpu', 'min value 3 is greater than max value 2'],
  ['default above max', (m) => { m.spec.limits[0].default.memory = '4Gi'; }, 'spec.limits[0].default.memory', 'default value 4Gi is greater than max value 2Gi'],
  ['default below min', (m) => { m.spec.limits[0].default.cpu = '10m'; }, 'spec.limits[0].default.cpu', 'min value 50m is greater than default value 10m'],
  ['defaultRequest above default', (m) => { m.spec.limits[0].defaultRequest.cpu = '1'; }, 'spec.limits[0].defaultRequest.cpu', 'default request value 1 is greater than default limit value 500m'],
  ['ratio below 1', (m) => { m.spec.limits[0].maxLimitRequestRatio.cpu = '0.5'; }, 'spec.limits[0].maxLimitRequestRatio.cpu', 'is less than 1'],
  ['ratio above max/min', (m) => { m.spec.limits[0].maxLimitRequestRatio.cpu = '100'; }, 'spec.limits[0].maxLimitRequestRatio.cpu', 'greater than max/min'],
  ['type unknown', (m) => { m.spec.limits[0].type = 'Node'; }, 'spec.limits[0].type', 'Unsupported value: "Node"'],
  ['Pod type with defaults', (m) => { m.spec.limits[0].type = 'Pod'; }, 'spec.limits[0].default', "may not be specified when `type` is 'Pod'"],
  ['PVC without storage bounds', (m) => { m.spec.limits[1] = { type: 'PersistentVolumeClaim', max: { cpu: '1' } }; }, 'spec.limits[1].limits', 'either minimum or maximum storage value is required'],
  ['quantity that does not parse', (m) => { m.spec.limits[0].max.memory = '2 GB'; }, 'spec.limits[0].max.memory', 'must be a quantity'],
]);

const serviceAccount = () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'registry' }] });
ruleTable('ServiceAccount', serviceAccount, [
  ['pull secret without a name', (m) => { m.imagePullSecrets = [{}]; }, 'imagePullSecrets[0].name', 'Required value'],
  ['pull secret name invalid', (m) => { m.imagePullSecrets = [{ name: 'Registry' }]; }, 'imagePullSecrets[0].name', 'must be a DNS subdomain'],
]);

const namespace = () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, spec: { finalizers: ['kubernetes'] } });
ruleTable('Namespace', namespace, [
  ['finalizer invalid', (m) => { m.spec.finalizers = ['bad finalizer']; }, 'spec.finalizers[0]', 'must be a qualified name'],
]);
