import { App, Chart } from 'cdk8s';
import { ClusterSecretStore, defaultChecks, MicroserviceChart, PlatformNamespace, SecretSource, SecretStore, SecretStoreProvider } from '../../lib';
import { KubeServiceAccount } from '../../imports/k8s';
import { IMAGE, only, render } from '../helpers';

const errorsOf = (objects: any[], externalObjects: string[] = []) => defaultChecks({ externalNamespaces: [], externalObjects })
  .flatMap((c) => c.check(objects.map((manifest) => ({ file: 'prod/x.yaml', manifest }))))
  .filter((f) => f.severity === 'error');

const vault = SecretStoreProvider.vault({ server: 'https://vault.example.com:8200', path: 'secret', role: 'shop', serviceAccount: { name: 'vault-auth' } });

/** A namespace, the store's ServiceAccount, a store and a service whose ExternalSecret names `storeName`/`storeKind`. */
function shop(store: (chart: Chart) => void, storeName = 'vault', storeKind: 'SecretStore' | 'ClusterSecretStore' = 'SecretStore'): any[] {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: 'shop' });
  const chart = new Chart(app, 'stores', { namespace: 'shop' });
  store(chart);
  new MicroserviceChart(app, 'user-service', {
    namespace: 'shop', image: IMAGE, autoscaling: false, replicas: 1,
    secrets: SecretSource.fromExternalSecret({ storeName, storeKind, keys: { 'db-password': { remoteKey: 'shop/user-service', property: 'db-password' } } }),
  });
  return render(app);
}
const withServiceAccount = (chart: Chart, ns?: string) => new KubeServiceAccount(chart, `sa-${ns ?? 'own'}`, { metadata: { name: 'vault-auth', namespace: ns } });

describe('SecretStore and ClusterSecretStore', () => {
  test('Vault with Kubernetes auth: server, KV v2 mount, role, ServiceAccount; valid against the CRD', () => {
    const objects = shop((c) => { withServiceAccount(c); new SecretStore(c, 'Vault', { name: 'vault', provider: vault }); });
    const store = only(objects, 'SecretStore', 'vault');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata.namespace).toBe('shop');
    expect(store.spec.provider).toEqual({
      vault: { server: 'https://vault.example.com:8200', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'shop', serviceAccountRef: { name: 'vault-auth' } } } },
    });
    expect(errorsOf(objects)).toEqual([]);
  });

  test('AWS Secrets Manager through IRSA and GCP Secret Manager through workload identity, cluster-wide with namespace conditions', () => {
    const app = new App();
    const chart = new Chart(app, 'stores');
    withServiceAccount(chart, 'external-secrets');
    new ClusterSecretStore(chart, 'Aws', {
      name: 'aws', namespaces: ['shop', 'billing'],
      provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/secrets-reader', serviceAccount: { name: 'vault-auth', namespace: 'external-secrets' } }),
    });
    new ClusterSecretStore(chart, 'Gcp', {
      name: 'gcp',
      provider: SecretStoreProvider.gcpSecretManager({ projectId: 'shop-prod', clusterLocation: 'europe-west1', clusterName: 'prod-1', serviceAccount: { name: 'vault-auth', namespace: 'external-secrets' } }),
    });
    const objects = render(app);
    const aws = only(objects, 'ClusterSecretStore', 'aws');
    expect(aws.metadata.namespace).toBeUndefined();
    expect(aws.spec).toEqual({
      provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', role: 'arn:aws:iam::123456789012:role/secrets-reader', auth: { jwt: { serviceAccountRef: { name: 'vault-auth', namespace: 'external-secrets' } } } } },
      conditions: [{ namespaces: ['billing', 'shop'] }],
    });
    expect(only(objects, 'ClusterSecretStore', 'gcp').spec.provider.gcpsm).toEqual({
      projectID: 'shop-prod',
      auth: { workloadIdentity: { clusterLocation: 'europe-west1', clusterName: 'prod-1', clusterProjectID: 'shop-prod', serviceAccountRef: { name: 'vault-auth', namespace: 'external-secrets' } } },
    });
    expect(errorsOf(objects, ['Namespace/external-secrets']).filter((f) => f.check !== 'cross-reference')).toEqual([]);
  });

  test.each([
    ['Vault credentials in the URL', () => SecretStoreProvider.vault({ server: 'https://root:s3cret@vault.example.com', path: 'secret', role: 'r', serviceAccount: { name: 'sa' } }), 'provider.vault.server', 'without credentials'],
    ['a Vault path with a leading slash', () => SecretStoreProvider.vault({ server: 'https://vault.example.com', path: '/secret', role: 'r', serviceAccount: { name: 'sa' } }), 'provider.vault.path', 'no leading or trailing'],
    ['no ServiceAccount', () => SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'r', serviceAccount: null as any }), 'provider.vault.serviceAccount', 'StoreServiceAccount'],
    ['a bad AWS region', () => SecretStoreProvider.awsSecretsManager({ region: 'Europe', serviceAccount: { name: 'sa' } }), 'provider.aws.region', 'an AWS region'],
    ['a bad role ARN', () => SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', roleArn: 'secrets-reader', serviceAccount: { name: 'sa' } }), 'provider.aws.roleArn', 'an IAM role ARN'],
    ['a bad GCP project', () => SecretStoreProvider.gcpSecretManager({ projectId: 'P', clusterLocation: 'eu', clusterName: 'c', serviceAccount: { name: 'sa' } }), 'provider.gcpsm.projectId', 'a GCP project ID'],
  ])('refuses %s', (_, provider, field, allowed) => {
    expect(() => new SecretStore(new Chart(new App(), 'c'), 'S', { name: 's', provider: provider() }))
      .toThrow(new RegExp(`\\[c/S\\] invalid ${field.replace(/\./g, '\\.')}: .*allowed: .*${allowed}`));
  });

  test('a ClusterSecretStore must name its ServiceAccount\'s namespace; a literal credential is no provider', () => {
    expect(() => new ClusterSecretStore(new Chart(new App(), 'c'), 'S', { name: 's', provider: vault }))
      .toThrow('[c/S] invalid provider.vault.serviceAccount.namespace: undefined; allowed: the ServiceAccount\'s namespace (a ClusterSecretStore has none of its own)');
    expect(() => new SecretStore(new Chart(new App(), 'c'), 'S', { name: 's', provider: { vault: { tokenSecretRef: { name: 'root-token' } } } as any }))
      .toThrow(/\[c\/S\] invalid provider: .*allowed: a SecretStoreProvider/);
  });
});

describe('every ExternalSecret names an existing store', () => {
  test('a store of the namespace: valid', () => {
    expect(errorsOf(shop((c) => { withServiceAccount(c); new SecretStore(c, 'Vault', { name: 'vault', provider: vault }); }))).toEqual([]);
  });

  test('a missing store is an error naming the store, the kind and the way out', () => {
    const errors = errorsOf(shop((c) => { withServiceAccount(c); new SecretStore(c, 'Vault', { name: 'vault', provider: vault }); }, 'vault-typo'));
    expect(errors).toEqual([expect.objectContaining({
      object: 'ExternalSecret/shop/user-service-secrets', path: 'spec.secretStoreRef.name', check: 'platform-reference',
      message: 'SecretStore "vault-typo" in "shop" is neither in this output nor declared external (externalObjects: SecretStore/shop/vault-typo)',
    })]);
  });

  test('a SecretStore does not serve a reference to a ClusterSecretStore of the same name; declared external, it does', () => {
    const build = () => shop((c) => { withServiceAccount(c); new SecretStore(c, 'Vault', { name: 'vault', provider: vault }); }, 'vault', 'ClusterSecretStore');
    expect(errorsOf(build()).map((f) => f.message)).toEqual(['ClusterSecretStore "vault" is neither in this output nor declared external (externalObjects: ClusterSecretStore/vault)']);
    expect(errorsOf(build(), ['ClusterSecretStore/vault'])).toEqual([]);
  });

  test('the store\'s ServiceAccount must exist', () => {
    const errors = errorsOf(shop((c) => new SecretStore(c, 'Vault', { name: 'vault', provider: vault })));
    expect(errors).toEqual([expect.objectContaining({ object: 'SecretStore/shop/vault', path: 'spec.provider.vault.auth.kubernetes.serviceAccountRef.name', message: expect.stringContaining('ServiceAccount "vault-auth" in "shop"') })]);
  });
});
