import { ruleTable } from './table';

const role = () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' },
  rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] });
ruleTable('Role', role, [
  ['rule without verbs', (m) => { m.rules[0].verbs = []; }, 'rules[0].verbs', 'verbs must contain at least one value'],
  ['rule without apiGroups', (m) => { delete m.rules[0].apiGroups; }, 'rules[0].apiGroups', 'must supply at least one api group'],
  ['rule without resources', (m) => { delete m.rules[0].resources; }, 'rules[0].resources', 'must supply at least one resource'],
  ['non-resource URL in a Role', (m) => { m.rules[0] = { nonResourceURLs: ['/healthz'], verbs: ['get'] }; }, 'rules[0].nonResourceURLs', 'namespaced rules cannot apply to non-resource URLs'],
  ['name with a slash', (m) => { m.metadata.name = 'a/b'; }, 'metadata.name', "may not contain '/' or '%'"],
]);

const clusterRole = () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'health' },
  rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }] });
ruleTable('ClusterRole', clusterRole, [
  ['URLs and resources in one rule', (m) => { m.rules[0].resources = ['pods']; }, 'rules[0].nonResourceURLs', 'both regular resources and non-resource URLs'],
  ['aggregation without selectors', (m) => { m.aggregationRule = { clusterRoleSelectors: [] }; }, 'aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector'],
]);

const binding = () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read', namespace: 'shop' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
  subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }] });
ruleTable('RoleBinding', binding, [
  ['roleRef group wrong', (m) => { m.roleRef.apiGroup = 'rbac'; }, 'roleRef.apiGroup', 'supported values: "rbac.authorization.k8s.io"'],
  ['roleRef kind wrong', (m) => { m.roleRef.kind = 'Policy'; }, 'roleRef.kind', 'Unsupported value: "Policy"'],
  ['roleRef without name', (m) => { m.roleRef.name = ''; }, 'roleRef.name', 'Required value'],
  ['subject kind unknown', (m) => { m.subjects[0].kind = 'Robot'; }, 'subjects[0].kind', 'Unsupported value: "Robot"'],
  ['ServiceAccount subject with an API group', (m) => { m.subjects[0].apiGroup = 'rbac.authorization.k8s.io'; }, 'subjects[0].apiGroup', 'supported values: ""'],
  ['Group subject without API group', (m) => { delete m.subjects[1].apiGroup; }, 'subjects[1].apiGroup', 'supported values: "rbac.authorization.k8s.io"'],
]);

const clusterBinding = () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'health' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'health' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] });
ruleTable('ClusterRoleBinding', clusterBinding, [
  ['binds a Role', (m) => { m.roleRef.kind = 'Role'; }, 'roleRef.kind', 'supported values: "ClusterRole"'],
  ['ServiceAccount without namespace', (m) => { delete m.subjects[0].namespace; }, 'subjects[0].namespace', 'Required value'],
]);
