import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { SecretStoreProvider } from './secret-store-provider';

/** Props of {@link ClusterSecretStore}. */
export interface ClusterSecretStoreProps {
  /** Name of the store, what ExternalSecrets' `secretStoreRef.name` names (with kind ClusterSecretStore). */
  readonly name: string;
  /** Where the secrets are read from; its ServiceAccount must name its namespace. */
  readonly provider: SecretStoreProvider;
  /** Namespaces whose ExternalSecrets may use the store. @default every namespace */
  readonly namespaces?: string[];
  /** How often the operator re-validates the store, in seconds (0: only on change). @default 0 */
  readonly refreshIntervalSeconds?: number;
  /** Labels of the store. @default managed-by only */
  readonly labels?: Record<string, string>;
}

/**
 * An External Secrets `ClusterSecretStore`: one secret backend shared by the ExternalSecrets of
 * several namespaces, restricted to `namespaces` where given (a store reachable from every
 * namespace hands every team every secret the backend role can read).
 */
export class ClusterSecretStore extends Construct {
  /** The store's name. */
  public readonly storeName: string;

  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    v.props(this, props, 'ClusterSecretStoreProps');
    this.storeName = v.dnsSubdomain(this, 'name', props.name);
    const provider = v.instance(this, 'provider', props.provider, SecretStoreProvider, 'a SecretStoreProvider (SecretStoreProvider.vault(…), .awsSecretsManager(…) or .gcpSecretManager(…))');
    const namespaces = v.isSet(props.namespaces) ? v.nonEmpty(this, 'namespaces', props.namespaces).map((n, i) => v.dnsLabel(this, `namespaces[${i}]`, n)) : undefined;
    if (namespaces) v.unique(this, 'namespaces', namespaces);
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: {
        name: this.storeName,
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, ...v.labels(this, 'labels', props.labels) },
      },
      spec: {
        ...provider.render(this, true),
        conditions: namespaces ? [{ namespaces: [...namespaces].sort() }] : undefined,
        refreshInterval: v.isSet(props.refreshIntervalSeconds) ? v.integer(this, 'refreshIntervalSeconds', props.refreshIntervalSeconds, 0, 31_536_000) : undefined,
      },
    });
    // Cluster-scoped: no namespace, even inside a chart that has one.
    if (Chart.of(this).namespace) resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
