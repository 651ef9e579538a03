import { ApiObject, App, Chart } from 'cdk8s';
import {
  applySyncWaves, ArgoCdApplication, ArgoCdApplicationSet, ArgoCdProject, defaultChecks, IN_CLUSTER_SERVER, MicroserviceChart, PlatformNamespace,
  ReadOnlyClusterRole, SecretSource, SecretStore, SecretStoreProvider, TlsCertificate,
} from '../../lib';
import { KubeServiceAccount } from '../../imports/k8s';
import { IMAGE, only, render } from '../helpers';

const REPO = 'https://git.example.com/shop/deploy.git';

const errorsOf = (objects: any[]) => defaultChecks({ externalNamespaces: ['argocd'], externalObjects: [] })
  .flatMap((c) => c.check(objects.map((manifest) => ({ file: 'argocd/x.yaml', manifest }))))
  .filter((f) => f.severity === 'error');

/** A small platform: namespace, a service with a Vault store, a certificate in istio-system, a read-only ClusterRole. */
function shopApp(): App {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: 'shop' });
  const stores = new Chart(app, 'stores', { namespace: 'shop' });
  new KubeServiceAccount(stores, 'sa', { metadata: { name: 'vault-auth' } });
  new SecretStore(stores, 'Vault', { name: 'vault', provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'shop', serviceAccount: { name: 'vault-auth' } }) });
  new MicroserviceChart(app, 'user-service', {
    namespace: 'shop', image: IMAGE,
    secrets: SecretSource.fromExternalSecret({ storeName: 'vault', storeKind: 'SecretStore', keys: { token: { remoteKey: 'shop/user' } } }),
  });
  const edge = new Chart(app, 'edge', { namespace: 'shop' });
  new TlsCertificate(edge, 'Cert', { namespace: 'istio-system', secretName: 'shop-tls', dnsNames: ['shop.example.com'], issuer: { name: 'letsencrypt-prod' } });
  new ReadOnlyClusterRole(new Chart(app, 'access'), 'ReadOnly', { name: 'shop-readonly', subjects: [{ name: 'vault-auth', namespace: 'shop' }], namespaces: ['shop'] });
  applySyncWaves(app);
  return app;
}

describe('ArgoCdProject derived from the rendered output', () => {
  const platform = shopApp();
  const argocd = new Chart(new App(), 'argocd');
  const project = ArgoCdProject.fromTargets(argocd, 'Project', { name: 'shop', sourceRepos: [REPO], targets: [{ app: platform, server: IN_CLUSTER_SERVER, namespace: 'shop' }] });
  new ArgoCdApplication(argocd, 'Prod', { name: 'shop-prod', repoUrl: REPO, path: 'dist/prod', destinationNamespace: 'shop', project, renders: platform });
  const objects = render(argocd as any);

  test('admits exactly the rendered kinds, cluster-scoped objects by name and namespaces; valid against the CRD', () => {
    const appProject = only(objects, 'AppProject', 'shop');
    expect(appProject.metadata.namespace).toBe('argocd');
    expect(appProject.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(appProject.spec.sourceRepos).toEqual([REPO]);
    expect(appProject.spec.destinations).toEqual([
      { server: IN_CLUSTER_SERVER, namespace: 'istio-system' },
      { server: IN_CLUSTER_SERVER, namespace: 'shop' },
    ]);
    expect(appProject.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace', name: 'shop' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'shop-readonly' },
    ]);
    const kinds = appProject.spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['/ServiceAccount', 'apps/Deployment', 'cert-manager.io/Certificate', 'external-secrets.io/ExternalSecret', 'external-secrets.io/SecretStore', 'rbac.authorization.k8s.io/RoleBinding']));
    expect(kinds).not.toContain('/Namespace');
    expect(kinds).not.toContain('rbac.authorization.k8s.io/ClusterRole');
    expect(only(objects, 'Application').spec.project).toBe('shop');
    expect(errorsOf(objects)).toEqual([]);
  });

  test('derived when rendered: an object added to the app after the project was declared is admitted', () => {
    const app = shopApp();
    const chart = new Chart(new App(), 'argocd');
    const p = ArgoCdProject.fromTargets(chart, 'Project', { name: 'shop', sourceRepos: [REPO], targets: [{ app, server: IN_CLUSTER_SERVER, namespace: 'shop' }] });
    new ArgoCdApplication(chart, 'Prod', { name: 'shop-prod', repoUrl: REPO, path: 'dist/prod', destinationNamespace: 'shop', project: p, renders: app });
    new ApiObject(new Chart(app, 'late', { namespace: 'shop' }), 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' } });
    expect(only(render(chart as any), 'AppProject').spec.namespaceResourceWhitelist).toContainEqual({ group: 'batch', kind: 'Job' });
  });

  test('the project named "default" (which admits everything) is refused', () => {
    expect(() => new ArgoCdProject(new Chart(new App(), 'c'), 'P', { name: 'default', sourceRepos: [REPO], destinations: [{ server: IN_CLUSTER_SERVER, namespaces: ['shop'] }], namespaceResources: [] }))
      .toThrow('[c/P] invalid name: "default"; allowed: a name other than "default"');
  });

  test.each([
    ['a wildcard repository', { sourceRepos: ['*'] }, 'sourceRepos[0]'],
    ['a wildcard kind', { namespaceResources: [{ group: '', kind: '*' }] }, 'namespaceResources[0].kind'],
    ['a plain-http server', { destinations: [{ server: 'http://k8s.example.com', namespaces: ['shop'] }] }, 'destinations[0].server'],
  ])('refuses %s', (_, override, field) => {
    expect(() => new ArgoCdProject(new Chart(new App(), 'c'), 'P', {
      name: 'shop', sourceRepos: [REPO], destinations: [{ server: IN_CLUSTER_SERVER, namespaces: ['shop'] }], namespaceResources: [], ...override,
    })).toThrow(new RegExp(`^\\[c/P\\] invalid ${field.replace(/[[\]]/g, '\\$&')}: `));
  });
});

describe('a kind outside the project is caught at synth, not at sync', () => {
  const handWritten = (override: Record<string, unknown> = {}) => {
    const platform = shopApp();
    const argocd = new Chart(new App(), 'argocd');
    const derived = ArgoCdProject.fromTargets(new Chart(new App(), 'scratch'), 'P', { name: 'shop', sourceRepos: [REPO], targets: [{ app: platform, server: IN_CLUSTER_SERVER, namespace: 'shop' }] });
    const spec = only(render(derived.node.scope as any), 'AppProject').spec;
    const project = new ArgoCdProject(argocd, 'Project', {
      name: 'shop',
      sourceRepos: [REPO],
      destinations: [{ server: IN_CLUSTER_SERVER, namespaces: spec.destinations.map((d: any) => d.namespace) }],
      namespaceResources: spec.namespaceResourceWhitelist,
      clusterResources: spec.clusterResourceWhitelist,
      ...override,
    });
    new ArgoCdApplication(argocd, 'Prod', { name: 'shop-prod', repoUrl: REPO, path: 'dist/prod', destinationNamespace: 'shop', project, renders: platform });
    return () => render(argocd as any);
  };

  test('the derived whitelists admit the app', () => {
    expect(handWritten()).not.toThrow();
  });

  test('a namespaced kind missing from the whitelist', () => {
    const spec = (k: any) => !(k.group === 'cert-manager.io' && k.kind === 'Certificate');
    const build = handWritten({ namespaceResources: only(render(ArgoCdProject.fromTargets(new Chart(new App(), 's'), 'P', { name: 'shop', sourceRepos: [REPO], targets: [{ app: shopApp(), server: IN_CLUSTER_SERVER, namespace: 'shop' }] }).node.scope as any), 'AppProject').spec.namespaceResourceWhitelist.filter(spec) });
    expect(build).toThrow(/argocd\/Prod.*invalid project: "shop"; allowed: a project admitting everything dist\/prod renders; shop does not admit: kind Certificate \(group "cert-manager.io"\) in namespaceResourceWhitelist/);
  });

  test('a namespace that is not a destination, and a cluster-scoped object not whitelisted by name', () => {
    const build = handWritten({ destinations: [{ server: IN_CLUSTER_SERVER, namespaces: ['shop'] }], clusterResources: [{ group: '', kind: 'Namespace', name: 'shop' }] });
    expect(build).toThrow(/does not admit: namespace "istio-system" on https:\/\/kubernetes.default.svc; .*cluster-scoped ClusterRole "shop-readonly" \(group "rbac.authorization.k8s.io"\) in clusterResourceWhitelist/);
  });

  test('a cluster the project does not deploy to', () => {
    const platform = shopApp();
    const argocd = new Chart(new App(), 'argocd');
    const project = ArgoCdProject.fromTargets(argocd, 'Project', { name: 'shop', sourceRepos: [REPO], targets: [{ app: platform, server: IN_CLUSTER_SERVER, namespace: 'shop' }] });
    new ArgoCdApplication(argocd, 'Prod', { name: 'shop-prod', repoUrl: REPO, path: 'dist/prod', destinationNamespace: 'shop', project, renders: platform, destinationServer: 'https://eu.k8s.example.com' });
    expect(() => render(argocd as any)).toThrow(/does not admit: cluster https:\/\/eu.k8s.example.com is not a destination/);
  });
});

test('renders that is not an app or chart is refused', () => {
  expect(() => new ArgoCdApplication(new Chart(new App(), 'c'), 'A', { name: 'a', repoUrl: REPO, path: 'dist/prod', destinationNamespace: 'shop', renders: 'dist/prod' as any }))
    .toThrow('[c/A] invalid renders: "dist/prod"; allowed: the App or Chart whose output the Application syncs');
  expect(() => new ArgoCdApplicationSet(new Chart(new App(), 'c'), 'S', { name: 's', repoUrl: REPO, destinationNamespace: 'shop', clusters: [{ name: 'eu', server: 'https://eu.example.com', path: 'dist/prod', renders: {} as any }] }))
    .toThrow('[c/S] invalid clusters[0].renders: {}; allowed: the App or Chart whose output the Application syncs');
});

describe('sync waves', () => {
  test('namespace, then secret stores, then ExternalSecrets; everything else in wave 0; a wave set by hand is kept', () => {
    const app = shopApp();
    const objects = render(app);
    const wave = (kind: string) => only(objects, kind).metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    expect([wave('Namespace'), wave('SecretStore'), wave('ExternalSecret'), wave('Deployment'), wave('Certificate')]).toEqual(['-3', '-2', '-1', undefined, undefined]);
    const own = new App();
    const chart = new Chart(own, 'c');
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', annotations: { 'argocd.argoproj.io/sync-wave': '-10' } } });
    applySyncWaves(own);
    expect(only(render(own), 'Namespace').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-10' });
  });
});

describe('ArgoCdApplicationSet', () => {
  test('a list generator with one element per cluster and one Application template; valid against the CRD', () => {
    const argocd = new Chart(new App(), 'argocd');
    new ArgoCdApplicationSet(argocd, 'Prod', {
      name: 'shop-prod', repoUrl: REPO, destinationNamespace: 'shop', project: 'shop',
      clusters: [
        { name: 'prod-eu', server: 'https://prod-eu.k8s.example.com', region: 'eu-west-1', path: 'dist/prod/prod-eu' },
        { name: 'prod-us', server: 'https://prod-us.k8s.example.com', region: 'us-east-1', path: 'dist/prod' },
      ],
    });
    const objects = render(argocd as any);
    const set = only(objects, 'ApplicationSet', 'shop-prod');
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(set.spec.generators).toEqual([{ list: { elements: [
      { cluster: 'prod-eu', server: 'https://prod-eu.k8s.example.com', path: 'dist/prod/prod-eu', region: 'eu-west-1' },
      { cluster: 'prod-us', server: 'https://prod-us.k8s.example.com', path: 'dist/prod', region: 'us-east-1' },
    ] } }]);
    expect(set.spec.template.metadata.name).toBe('shop-prod-{{.cluster}}');
    expect(set.spec.template.spec.destination).toEqual({ server: '{{.server}}', namespace: 'shop' });
    expect(set.spec.template.spec.source.path).toBe('{{.path}}');
    expect(set.spec.template.spec.project).toBe('shop');
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(errorsOf(objects)).toEqual([]);
  });

  test.each([
    ['no clusters', { clusters: [] }, 'clusters'],
    ['two clusters of one name', { clusters: [{ name: 'a', server: 'https://a.example.com', path: 'dist/a' }, { name: 'a', server: 'https://b.example.com', path: 'dist/b' }] }, 'clusters\\[\\].name'],
    ['a path leaving the repository', { clusters: [{ name: 'a', server: 'https://a.example.com', path: '../a' }] }, 'clusters\\[0\\].path'],
    ['an http server', { clusters: [{ name: 'a', server: 'http://a.example.com', path: 'dist/a' }] }, 'clusters\\[0\\].server'],
  ])('refuses %s', (_, override, field) => {
    expect(() => new ArgoCdApplicationSet(new Chart(new App(), 'c'), 'S', { name: 'shop', repoUrl: REPO, destinationNamespace: 'shop', clusters: [], ...(override as any) }))
      .toThrow(new RegExp(`^\\[c/S\\] invalid ${field}: `));
  });
});
