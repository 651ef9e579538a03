import { diffEnvironment } from '../../lib';

const project = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop', namespace: 'argocd' },
  spec: {
    sourceRepos: ['https://git.example.com/shop.git'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'shop' }],
    namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
  },
};
const risksOf = (mutate: (p: any) => void) => {
  const after = structuredClone(project);
  mutate(after);
  return diffEnvironment('argocd', [{ file: 'argocd/a.yaml', manifest: project }], [{ file: 'argocd/a.yaml', manifest: after }]).risks;
};

describe('an AppProject that admits more is a widening', () => {
  test.each<[string, (p: any) => void, string, string]>([
    ['a new kind', (p) => p.spec.namespaceResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'Role' }), 'spec.namespaceResourceWhitelist', 'project admits more: rbac.authorization.k8s.io/Role'],
    ['a new cluster-scoped object', (p) => p.spec.clusterResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'x' }), 'spec.clusterResourceWhitelist', 'rbac.authorization.k8s.io/ClusterRole/x'],
    ['a new namespace', (p) => p.spec.destinations.push({ server: 'https://kubernetes.default.svc', namespace: 'kube-system' }), 'spec.destinations', 'https://kubernetes.default.svc/kube-system'],
    ['a new repository', (p) => p.spec.sourceRepos.push('https://git.example.com/other.git'), 'spec.sourceRepos', 'https://git.example.com/other.git'],
  ])('%s', (_name, mutate, path, message) => {
    expect(risksOf(mutate)).toEqual([expect.objectContaining({ category: 'security', object: expect.stringContaining('AppProject'), path, message: expect.stringContaining(message) })]);
  });

  test('a narrower project is not', () => {
    expect(risksOf((p) => { p.spec.namespaceResourceWhitelist = []; }).filter((r) => r.category === 'security')).toEqual([]);
  });

  test('a new project lists what it admits', () => {
    const risks = diffEnvironment('argocd', [], [{ file: 'argocd/a.yaml', manifest: project }]).risks;
    expect(risks.map((r) => r.path)).toEqual(['spec.sourceRepos', 'spec.destinations', 'spec.clusterResourceWhitelist', 'spec.namespaceResourceWhitelist']);
  });
});
