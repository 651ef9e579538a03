import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { SecretStoreProvider } from './secret-store-provider';

/** Props of {@link SecretStore}. */
export interface SecretStoreProps {
  /** Name of the store, what ExternalSecrets' `secretStoreRef.name` names. */
  readonly name: string;
  /** Namespace of the store; only ExternalSecrets of this namespace can use it. @default the chart's namespace */
  readonly namespace?: string;
  /** Where the secrets are read from, and as which ServiceAccount. */
  readonly provider: SecretStoreProvider;
  /** How often the operator re-validates the store, in seconds (0: only on change). @default 0 */
  readonly refreshIntervalSeconds?: number;
  /** Labels of the store. @default managed-by only */
  readonly labels?: Record<string, string>;
}

/**
 * An External Secrets `SecretStore` (external-secrets.io/v1): a secret backend usable by the
 * ExternalSecrets of one namespace (the seeds' 004 example), authenticated as a ServiceAccount of
 * that namespace. Reference it with `SecretSource.fromExternalSecret({ storeName, storeKind: 'SecretStore' })`.
 */
export class SecretStore extends Construct {
  /** The store's name. */
  public readonly storeName: string;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    v.props(this, props, 'SecretStoreProps');
    this.storeName = v.dnsSubdomain(this, 'name', props.name);
    const provider = v.instance(this, 'provider', props.provider, SecretStoreProvider, 'a SecretStoreProvider (SecretStoreProvider.vault(…), .awsSecretsManager(…) or .gcpSecretManager(…))');
    new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: {
        name: this.storeName,
        namespace: v.isSet(props.namespace) ? v.dnsLabel(this, 'namespace', props.namespace) : undefined,
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, ...v.labels(this, 'labels', props.labels) },
      },
      spec: {
        ...provider.render(this, false),
        refreshInterval: v.isSet(props.refreshIntervalSeconds) ? v.integer(this, 'refreshIntervalSeconds', props.refreshIntervalSeconds, 0, 31_536_000) : undefined,
      },
    });
  }
}
