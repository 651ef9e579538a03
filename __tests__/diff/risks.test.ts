import { diffEnvironment, fieldChanges, Risk } from '../../lib';

const clone = (o: any) => JSON.parse(JSON.stringify(o));
const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'user-service', namespace: 'shop' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'user-service', version: 'v1' } },
    template: {
      metadata: { labels: { app: 'user-service', version: 'v1' } },
      spec: {
        containers: [{
          name: 'app', image: 'r/user:v1',
          securityContext: { privileged: false, allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        }],
      },
    },
  },
};

/** Risks of changing `before` into `mutate(copy of before)`. */
function risksOf(before: any, mutate: (o: any) => void): Risk[] {
  const after = clone(before);
  mutate(after);
  return diffEnvironment('prod', [{ file: 'prod/a.yaml', manifest: before }], [{ file: 'prod/a.yaml', manifest: after }]).risks;
}
const summary = (risks: Risk[]) => risks.map((r) => `${r.category} ${r.path}`);

describe('field paths', () => {
  test('named list items are matched by name, scalar lists compared whole, absent fields shown as such', () => {
    const before = { spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }], verbs: ['get'] } };
    const after = { spec: { containers: [{ name: 'b', image: 'y:2' }, { name: 'a', image: 'x:1', args: ['-v'] }], verbs: ['get', 'list'] } };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'spec.containers[name=a].args', after: ['-v'] },
      { path: 'spec.containers[name=b].image', before: 'y:1', after: 'y:2' },
      { path: 'spec.verbs', before: ['get'], after: ['get', 'list'] },
    ]);
  });
  test('keys that are not identifiers are quoted', () => {
    expect(fieldChanges({ metadata: { labels: { 'app.kubernetes.io/name': 'a' } } }, { metadata: { labels: {} } }))
      .toEqual([{ path: 'metadata.labels["app.kubernetes.io/name"]', before: 'a' }]);
  });
});

describe('immutable fields: the server refuses the update', () => {
  const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
    spec: { serviceName: 'db', podManagementPolicy: 'OrderedReady', replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } };
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' },
    spec: { completions: 1, parallelism: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm:1' }] } } } };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } };
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, immutable: true, data: { A: '1' } };
  const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } } };

  test.each<[string, any, (o: any) => void, string]>([
    ['Deployment selector', deployment, (o) => { o.spec.selector.matchLabels.tier = 'web'; }, 'spec.selector'],
    ['ReplicaSet selector', { ...deployment, kind: 'ReplicaSet' }, (o) => { o.spec.selector.matchLabels.app = 'x'; }, 'spec.selector'],
    ['DaemonSet selector', { ...deployment, kind: 'DaemonSet' }, (o) => { o.spec.selector.matchLabels.app = 'x'; }, 'spec.selector'],
    ['StatefulSet selector', sts, (o) => { o.spec.selector.matchLabels.app = 'x'; }, 'spec.selector'],
    ['StatefulSet volumeClaimTemplates', sts, (o) => { o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi'; }, 'spec.volumeClaimTemplates'],
    ['StatefulSet serviceName', sts, (o) => { o.spec.serviceName = 'db-headless'; }, 'spec.serviceName'],
    ['StatefulSet podManagementPolicy', sts, (o) => { o.spec.podManagementPolicy = 'Parallel'; }, 'spec.podManagementPolicy'],
    ['Job template', job, (o) => { o.spec.template.spec.containers[0].image = 'm:2'; }, 'spec.template'],
    ['Job selector', job, (o) => { o.spec.selector = { matchLabels: { a: 'b' } }; }, 'spec.selector'],
    ['Job completions (NonIndexed)', job, (o) => { o.spec.completions = 3; }, 'spec.completions'],
    ['Service clusterIP', { ...service, spec: { ...service.spec, clusterIP: '10.0.0.5' } }, (o) => { o.spec.clusterIP = '10.0.0.6'; }, 'spec.clusterIP'],
    ['Service clusterIPs', { ...service, spec: { ...service.spec, clusterIPs: ['10.0.0.5'] } }, (o) => { o.spec.clusterIPs = ['10.0.0.6']; }, 'spec.clusterIPs'],
    ['Service headless → not', { ...service, spec: { ...service.spec, clusterIP: 'None' } }, (o) => { delete o.spec.clusterIP; }, 'spec.clusterIP'],
    ['Service not → headless', service, (o) => { o.spec.clusterIP = 'None'; }, 'spec.clusterIP'],
    ['Service ClusterIP → ExternalName', service, (o) => { o.spec = { type: 'ExternalName', externalName: 'api.example.com' }; }, 'spec.type'],
    ['immutable ConfigMap data', cm, (o) => { o.data.A = '2'; }, 'data'],
    ['immutable ConfigMap → mutable', cm, (o) => { o.immutable = false; }, 'immutable'],
    ['immutable Secret data', { ...cm, kind: 'Secret' }, (o) => { o.data.A = 'Mg=='; }, 'data'],
    ['PVC storage class', pvc, (o) => { o.spec.storageClassName = 'slow'; }, 'spec'],
    ['PVC shrink', pvc, (o) => { o.spec.resources.requests.storage = '512Mi'; }, 'spec.resources.requests.storage'],
  ])('%s', (_name, before, mutate, path) => {
    const refused = risksOf(before, mutate).filter((r) => r.category === 'immutable');
    expect(refused.map((r) => r.path)).toContain(path);
    const risk = refused.find((r) => r.path === path)!;
    expect(risk.message).toMatch(/refuses this update/);
    expect(risk.action).toMatch(/re-create.*new name.*Replace=true/);
  });

  test.each<[string, any, (o: any) => void]>([
    ['Deployment replicas and image', deployment, (o) => { o.spec.replicas = 3; o.spec.template.spec.containers[0].image = 'r/user:v2'; }],
    ['StatefulSet replicas and template', sts, (o) => { o.spec.replicas = 3; o.spec.template.spec.containers[0].image = 'db:2'; }],
    ['Indexed Job completions with parallelism', { ...job, spec: { ...job.spec, completionMode: 'Indexed' } }, (o) => { o.spec.completions = 4; o.spec.parallelism = 4; }],
    ['Service ports', service, (o) => { o.spec.ports[0].port = 8080; }],
    ['mutable ConfigMap data', { ...cm, immutable: undefined }, (o) => { o.data.A = '2'; }],
    ['PVC grows', pvc, (o) => { o.spec.resources.requests.storage = '2Gi'; }],
    ['ExternalName → ClusterIP', { ...service, spec: { type: 'ExternalName', externalName: 'x.example.com' } }, (o) => { o.spec = { selector: { app: 'api' }, ports: [{ port: 80 }] }; }],
  ])('allowed: %s', (_name, before, mutate) => {
    expect(risksOf(before, mutate).filter((r) => r.category === 'immutable')).toEqual([]);
  });

  test('a migration hook Job (BeforeHookCreation) is recreated by Argo CD: flagged with what kubectl users do instead', () => {
    const hook = { ...job, metadata: { ...job.metadata, annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' } } };
    const [risk] = risksOf(hook, (o) => { o.spec.template.spec.containers[0].image = 'm:2'; });
    expect(risk).toMatchObject({ category: 'immutable', path: 'spec' });
    expect(risk.message).toMatch(/Argo CD deletes and recreates this hook on every sync/);
    expect(risk.action).toMatch(/kubectl delete job/);
  });
});

describe('rollout, data loss and traffic', () => {
  test('a pod template change restarts every pod, a replicas change does not', () => {
    const restart = diffEnvironment('prod', [{ file: 'a', manifest: deployment }], [{ file: 'a', manifest: { ...clone(deployment), spec: { ...clone(deployment.spec), template: { ...clone(deployment.spec.template), metadata: { labels: { app: 'user-service', version: 'v1' }, annotations: { a: 'b' } } } } } }]);
    expect(restart.changed[0].rollout).toBe('restarts-pods');
    expect(summary(restart.risks)).toEqual(['restart spec.template']);
    const scale = diffEnvironment('prod', [{ file: 'a', manifest: deployment }], [{ file: 'a', manifest: { ...clone(deployment), spec: { ...clone(deployment.spec), replicas: 5 } } }]);
    expect(scale.changed[0].rollout).toBe('no-restart');
    expect(scale.risks).toEqual([]);
  });

  test.each(['PersistentVolumeClaim', 'StatefulSet', 'Namespace'])('removing a %s is data loss', (kind) => {
    const risks = diffEnvironment('prod', [{ file: 'a', manifest: { apiVersion: 'v1', kind, metadata: { name: 'x' } } }], []).risks;
    expect(risks.map((r) => `${r.category} ${r.object}`)).toEqual([`data-loss ${kind}/-/x`]);
  });

  test('canary weight step: old → new per subset', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'user-service', namespace: 'shop' },
      spec: { hosts: ['user-service'], http: [{ name: 'default', route: [{ destination: { host: 'user-service', subset: 'v1' }, weight: 90 }, { destination: { host: 'user-service', subset: 'v2' }, weight: 10 }] }] } };
    const risks = risksOf(vs, (o) => { o.spec.http[0].route[0].weight = 80; o.spec.http[0].route[1].weight = 20; });
    expect(risks).toEqual([{ category: 'traffic', object: 'VirtualService/shop/user-service', path: 'spec.http[name=default]', message: 'traffic weights of route default: v1 90 → 80, v2 10 → 20' }]);
    const promoted = risksOf(vs, (o) => { o.spec.http[0].route = [{ destination: { host: 'user-service', subset: 'v1' } }]; });
    expect(promoted[0].message).toBe('traffic weights of route default: v1 90 → 100, v2 10 → 0');
  });
});

describe('security widening', () => {
  const authz = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'user-service', namespace: 'shop' },
    spec: { action: 'ALLOW', selector: { matchLabels: { app: 'user-service' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/order-service'] } }] }] } };
  const netpol = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'user-service', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'user-service' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'order-service' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }] } };
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
  const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'r', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'shop' }] };
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };

  test.each<[string, any, (o: any) => void, string, RegExp]>([
    ['new principal', authz, (o) => { o.spec.rules[0].from[0].source.principals.push('cluster.local/ns/shop/sa/cart'); }, 'spec.rules', /new allowed caller\(s\): principals=cluster.local\/ns\/shop\/sa\/cart/],
    ['new namespace', authz, (o) => { o.spec.rules.push({ from: [{ source: { namespaces: ['partner'] } }] }); }, 'spec.rules', /namespaces=partner/],
    ['rule without from: any source', authz, (o) => { o.spec.rules.push({ to: [{ operation: { methods: ['GET'] } }] }); }, 'spec.rules', /any source/],
    ['DENY entry removed', { ...authz, spec: { ...authz.spec, action: 'DENY' } }, (o) => { o.spec.rules[0].from[0].source.principals = ['x']; }, 'spec.rules', /no longer denied: principals=cluster.local\/ns\/shop\/sa\/order-service/],
    ['NetworkPolicy new ingress peer', netpol, (o) => { o.spec.ingress[0].from.push({ namespaceSelector: {} }); }, 'spec.ingress', /new ingress allowed: from \{"namespaceSelector":\{\}\} port TCP\/8080/],
    ['NetworkPolicy new ingress port', netpol, (o) => { o.spec.ingress[0].ports.push({ port: 9090, protocol: 'TCP' }); }, 'spec.ingress', /port TCP\/9090/],
    ['NetworkPolicy new egress peer', netpol, (o) => { o.spec.egress[0].to.push({ ipBlock: { cidr: '0.0.0.0/0' } }); }, 'spec.egress', /new egress allowed: to \{"ipBlock":\{"cidr":"0.0.0.0\/0"\}\}/],
    ['NetworkPolicy rule without peers', netpol, (o) => { delete o.spec.ingress[0].from; }, 'spec.ingress', /from any peer port TCP\/8080/],
    ['RBAC new verb', role, (o) => { o.rules[0].verbs.push('list'); }, 'rules', /new permissions: list configmaps/],
    ['RBAC new resource', role, (o) => { o.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }); }, 'rules', /get secrets/],
    ['ClusterRole new verb', { ...role, kind: 'ClusterRole' }, (o) => { o.rules[0].verbs = ['*']; }, 'rules', /\* configmaps/],
    ['RoleBinding new subject', binding, (o) => { o.subjects.push({ kind: 'Group', name: 'devs' }); }, 'subjects', /Group:devs/],
    ['Pod Security enforce lowered', ns, (o) => { o.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'; }, 'metadata.labels["pod-security.kubernetes.io/enforce"]', /restricted → baseline/],
    ['Pod Security label removed', ns, (o) => { delete o.metadata.labels['pod-security.kubernetes.io/enforce']; }, 'metadata.labels["pod-security.kubernetes.io/enforce"]', /restricted → privileged \(label removed\)/],
    ['privileged', deployment, (o) => { o.spec.template.spec.containers[0].securityContext.privileged = true; }, 'spec.template.spec.containers[name=app].securityContext', /privileged: true/],
    ['allowPrivilegeEscalation', deployment, (o) => { delete o.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation; }, 'spec.template.spec.containers[name=app].securityContext', /allowPrivilegeEscalation \(none\)/],
    ['runAsNonRoot false', deployment, (o) => { o.spec.template.spec.containers[0].securityContext.runAsNonRoot = false; }, 'spec.template.spec.containers[name=app].securityContext', /runAsNonRoot false/],
    ['capabilities added', deployment, (o) => { o.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; }, 'spec.template.spec.containers[name=app].securityContext', /capabilities added: NET_ADMIN/],
    ['drop ALL removed', deployment, (o) => { o.spec.template.spec.containers[0].securityContext.capabilities.drop = []; }, 'spec.template.spec.containers[name=app].securityContext', /no longer dropped: ALL/],
    ['readOnlyRootFilesystem false', deployment, (o) => { o.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; }, 'spec.template.spec.containers[name=app].securityContext', /readOnlyRootFilesystem false/],
  ])('%s', (_name, before, mutate, path, message) => {
    const widened = risksOf(before, mutate).filter((r) => r.category === 'security');
    expect(widened).toHaveLength(1);
    expect(widened[0].path).toBe(path);
    expect(widened[0].message).toMatch(message);
  });

  test.each<[string, any, (o: any) => void]>([
    ['principal removed', authz, (o) => { o.spec.rules[0].from[0].source.principals = []; }],
    ['NetworkPolicy port removed', netpol, (o) => { o.spec.ingress[0].ports = [{ port: 8080, protocol: 'TCP' }]; o.spec.egress = []; }],
    ['RBAC verb removed', role, (o) => { o.rules[0].verbs = []; }],
    ['Pod Security raised', { ...ns, metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } }, (o) => { o.metadata.labels['pod-security.kubernetes.io/enforce'] = 'restricted'; }],
    ['security context tightened', deployment, (o) => { o.spec.template.spec.containers[0].securityContext.capabilities.drop = ['ALL', 'NET_RAW']; }],
  ])('not a widening: %s', (_name, before, mutate) => {
    expect(risksOf(before, mutate).filter((r) => r.category === 'security')).toEqual([]);
  });

  test('new ALLOW policy, new NetworkPolicy and new Role are widenings; removing a NetworkPolicy too', () => {
    const added = diffEnvironment('prod', [], [authz, netpol, role].map((manifest) => ({ file: 'a', manifest }))).risks;
    expect(added.map((r) => `${r.category} ${r.object}`)).toEqual([
      // apply order: the Role (RBAC right after ServiceAccounts), NetworkPolicy (ingress and egress), AuthorizationPolicy
      'security Role/shop/r', 'security NetworkPolicy/shop/user-service', 'security NetworkPolicy/shop/user-service', 'security AuthorizationPolicy/shop/user-service',
    ]);
    const removed = diffEnvironment('prod', [{ file: 'a', manifest: netpol }], []).risks;
    expect(removed[0].message).toMatch(/NetworkPolicy removed/);
  });
});
