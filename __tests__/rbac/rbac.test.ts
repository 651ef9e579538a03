import { App, Chart } from 'cdk8s';
import { KubeServiceAccount } from '../../imports/k8s';
import { defaultChecks, MicroserviceChart, PlatformNamespace, ReadOnlyClusterRole } from '../../lib';
import { all, IMAGE, only, render } from '../helpers';

const errorsOf = (objects: any[], externalObjects: string[] = []) => defaultChecks({ externalNamespaces: [], externalObjects })
  .flatMap((c) => c.check(objects.map((manifest) => ({ file: 'prod/x.yaml', manifest }))))
  .filter((f) => f.severity === 'error');

const WATCH_CONFIG = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['watch', 'get'] as any }];

function shop(apiAccess?: any[], canary = false): any[] {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: 'shop' });
  new MicroserviceChart(app, 'user-service', { namespace: 'shop', image: IMAGE, apiAccess, canary: canary ? { image: IMAGE.replace('v1.2.3', 'v1.3.0') } : undefined });
  return render(app);
}

describe('a service\'s declared API access', () => {
  test('a Role with exactly the declared rules, bound to the service\'s ServiceAccount; the token is mounted in every track', () => {
    const objects = shop(WATCH_CONFIG, true);
    const role = only(objects, 'Role', 'user-service');
    expect(role.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(role.metadata.namespace).toBe('shop');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }]);
    const binding = only(objects, 'RoleBinding', 'user-service');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'user-service' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'user-service' }]);
    expect(all(objects, 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec.automountServiceAccountToken]))
      .toEqual([['user-service', true], ['user-service-canary', true]]);
    expect(errorsOf(objects)).toEqual([]);
  });

  test('without apiAccess: no Role, and no token in the pods', () => {
    const objects = shop();
    expect(all(objects, 'Role')).toEqual([]);
    expect(only(objects, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test.each([
    ['a wildcard verb', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], 'apiAccess[0].verbs[0]', '"\\*"', 'explicit verbs'],
    ['a wildcard resource', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }], 'apiAccess[0].resources[0]', '"\\*"', 'explicit resources'],
    ['a wildcard group', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }], 'apiAccess[0].apiGroups[0]', '"\\*"', 'explicit apiGroups'],
    ['escalate', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }], 'apiAccess[0].verbs[0]', '"escalate"', 'one of "get"'],
    ['an empty rule list', [], 'apiAccess', '\\[\\]', 'a non-empty list'],
    ['no verbs', [{ apiGroups: [''], resources: ['pods'] }], 'apiAccess[0].verbs', 'undefined', 'a non-empty list'],
    ['a singular resource', [{ apiGroups: [''], resources: ['Pod'], verbs: ['get'] }], 'apiAccess[0].resources[0]', '"Pod"', 'plural lower case'],
    ['resourceNames with list', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'], resourceNames: ['flags'] }], 'apiAccess[0].resourceNames', '\\["flags"\\]', 'not list'],
    ['null rule', [null], 'apiAccess[0]', 'null', 'an ApiAccessRule'],
  ])('refuses %s', (_, rules, field, value, allowed) => {
    expect(() => shop(rules)).toThrow(new RegExp(`^\\[user-service/ApiAccess\\] invalid ${field.replace(/[[\]]/g, '\\$&')}: ${value}; allowed: .*${allowed}`));
  });

  test('a binding to a missing Role or ServiceAccount is an error', () => {
    const objects = shop(WATCH_CONFIG).filter((o) => o.kind !== 'Role' && o.kind !== 'ServiceAccount');
    expect(errorsOf(objects).filter((f) => f.check === 'platform-reference').map((f) => `${f.object} ${f.path}: ${f.message}`)).toEqual([
      'RoleBinding/shop/user-service roleRef.name: Role "user-service" is neither in this output nor declared external (externalObjects: Role/shop/user-service)',
      'RoleBinding/shop/user-service subjects[0].name: ServiceAccount "user-service" in "shop" is neither in this output nor declared external (externalObjects: ServiceAccount/shop/user-service)',
    ]);
  });
});

describe('the read-only ClusterRole of the seeds', () => {
  const readOnly = (props: Record<string, unknown> = {}, chartNamespace?: string) => {
    const app = new App();
    new PlatformNamespace(app, 'ns', { name: 'shop' });
    const chart = new Chart(app, 'access', { namespace: chartNamespace });
    new KubeServiceAccount(chart, 'ci', { metadata: { name: 'ci-readonly', namespace: 'shop' } });
    new ReadOnlyClusterRole(chart, 'ReadOnly', { name: 'shop-readonly', subjects: [{ name: 'ci-readonly', namespace: 'shop' }], ...props });
    return render(app);
  };

  test('the seed\'s rules, bound cluster-wide; cluster-scoped even in a chart with a namespace', () => {
    const objects = readOnly({}, 'shop');
    const role = only(objects, 'ClusterRole', 'shop-readonly');
    expect(role.metadata.namespace).toBeUndefined();
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'pods', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = only(objects, 'ClusterRoleBinding', 'shop-readonly');
    expect(binding.metadata.namespace).toBeUndefined();
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'ci-readonly', namespace: 'shop' }]);
    expect(errorsOf(objects)).toEqual([]);
  });

  test('narrowed to namespaces: one RoleBinding per namespace to the ClusterRole, no ClusterRoleBinding', () => {
    const objects = readOnly({ namespaces: ['shop'] });
    expect(all(objects, 'ClusterRoleBinding')).toEqual([]);
    const binding = only(objects, 'RoleBinding', 'shop-readonly');
    expect(binding.metadata.namespace).toBe('shop');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'shop-readonly' });
    expect(errorsOf(objects)).toEqual([]);
  });

  test.each([
    ['a write verb', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] }] }, 'rules[0].verbs', 'read verbs only'],
    ['secrets', { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }, 'rules[0].resources', 'other than secrets'],
    ['no subjects', { subjects: [] }, 'subjects', 'a non-empty list'],
    ['a subject without namespace', { subjects: [{ name: 'ci' }] }, 'subjects[0].namespace', 'DNS label'],
  ])('refuses %s', (_, props, field, allowed) => {
    expect(() => readOnly(props)).toThrow(new RegExp(`\\[access/ReadOnly\\] invalid ${field.replace(/[[\]]/g, '\\$&')}: .*allowed: .*${allowed}`));
  });
});
