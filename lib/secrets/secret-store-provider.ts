import { fail, InputLocation } from '../core/errors';
import * as v from '../core/validators';

/**
 * The ServiceAccount a secret store authenticates as: the operator requests a short-lived token
 * for it (TokenRequest), which the provider trusts (Vault Kubernetes auth, AWS IRSA, GKE workload
 * identity). No long-lived credential is ever stored.
 */
export interface StoreServiceAccount {
  /** Name of the ServiceAccount. */
  readonly name: string;
  /** Its namespace: required for a ClusterSecretStore. @default the SecretStore's namespace */
  readonly namespace?: string;
}

/** Props of {@link SecretStoreProvider.vault}. */
export interface VaultProviderProps {
  /** Vault address, e.g. "https://vault.example.com:8200" (https, or http inside the cluster). */
  readonly server: string;
  /** Mount path of the KV engine, e.g. "secret". */
  readonly path: string;
  /** KV engine version. @default "v2" */
  readonly version?: 'v1' | 'v2';
  /** Vault Enterprise namespace. @default none */
  readonly vaultNamespace?: string;
  /** Vault role bound to the ServiceAccount (Kubernetes auth method). */
  readonly role: string;
  /** Mount path of the Kubernetes auth method. @default "kubernetes" */
  readonly authMountPath?: string;
  /** The ServiceAccount whose token logs in to Vault. */
  readonly serviceAccount: StoreServiceAccount;
}

/** Props of {@link SecretStoreProvider.awsSecretsManager}. */
export interface AwsSecretsManagerProviderProps {
  /** AWS region, e.g. "eu-west-1". */
  readonly region: string;
  /** IAM role ARN to assume after authenticating. @default the ServiceAccount's IRSA role itself */
  readonly roleArn?: string;
  /** The ServiceAccount annotated with `eks.amazonaws.com/role-arn` (IRSA). */
  readonly serviceAccount: StoreServiceAccount;
}

/** Props of {@link SecretStoreProvider.gcpSecretManager}. */
export interface GcpSecretManagerProviderProps {
  /** Project holding the secrets. */
  readonly projectId: string;
  /** Location of the GKE cluster, e.g. "europe-west1". */
  readonly clusterLocation: string;
  /** Name of the GKE cluster. */
  readonly clusterName: string;
  /** Project of the GKE cluster. @default projectId */
  readonly clusterProjectId?: string;
  /** The ServiceAccount bound to a Google service account (workload identity). */
  readonly serviceAccount: StoreServiceAccount;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** What a provider renders into a store's spec. */
export interface RenderedProvider {
  /** `spec.provider`. */
  readonly provider: Record<string, unknown>;
}

/**
 * Where a SecretStore or ClusterSecretStore reads secrets from: Vault, AWS Secrets Manager or GCP
 * Secret Manager, always authenticated as a Kubernetes ServiceAccount. There is deliberately no
 * way to give a static token or access key: they would end up in Git.
 */
export abstract class SecretStoreProvider {
  /** HashiCorp Vault's KV engine, logged in with the Kubernetes auth method. */
  public static vault(props: VaultProviderProps): SecretStoreProvider {
    return new VaultProvider(v.object('SecretStoreProvider.vault', 'props', props, 'an object of VaultProviderProps { server, path, role, serviceAccount, … }'));
  }

  /** AWS Secrets Manager, authenticated through IRSA (the ServiceAccount's web identity token). */
  public static awsSecretsManager(props: AwsSecretsManagerProviderProps): SecretStoreProvider {
    return new AwsProvider(v.object('SecretStoreProvider.awsSecretsManager', 'props', props, 'an object of AwsSecretsManagerProviderProps { region, serviceAccount, roleArn? }'));
  }

  /** GCP Secret Manager, authenticated through GKE workload identity. */
  public static gcpSecretManager(props: GcpSecretManagerProviderProps): SecretStoreProvider {
    return new GcpProvider(v.object('SecretStoreProvider.gcpSecretManager', 'props', props, 'an object of GcpSecretManagerProviderProps { projectId, clusterLocation, clusterName, serviceAccount }'));
  }

  /**
   * The provider block, checked for `scope` (the store). A ClusterSecretStore serves many
   * namespaces, so its ServiceAccount must name its namespace.
   */
  public abstract render(scope: InputLocation, clusterWide: boolean): RenderedProvider;
}

function serviceAccountRef(scope: InputLocation, field: string, value: StoreServiceAccount, clusterWide: boolean): Record<string, string> {
  const sa = v.object(scope, field, value, 'a StoreServiceAccount { name, namespace? }');
  const name = v.dnsSubdomain(scope, `${field}.name`, sa.name);
  if (clusterWide && !v.isSet(sa.namespace)) fail(scope, `${field}.namespace`, sa.namespace, 'the ServiceAccount\'s namespace (a ClusterSecretStore has none of its own)');
  return { name, ...(v.isSet(sa.namespace) ? { namespace: v.dnsLabel(scope, `${field}.namespace`, sa.namespace) } : {}) };
}

class VaultProvider extends SecretStoreProvider {
  constructor(private readonly props: VaultProviderProps) { super(); }

  public render(scope: InputLocation, clusterWide: boolean): RenderedProvider {
    const p = this.props;
    const server = v.text(scope, 'provider.vault.server', p.server, 'an http(s) URL');
    let url: URL | undefined;
    try { url = new URL(server); } catch { url = undefined; }
    if (!url || !['https:', 'http:'].includes(url.protocol) || url.username || url.password || url.pathname.length > 1 || url.search) {
      fail(scope, 'provider.vault.server', server, 'an http(s) URL of the Vault server without credentials, path or query, e.g. "https://vault.example.com:8200"');
    }
    const path = v.text(scope, 'provider.vault.path', p.path, 'the mount path of the KV engine, e.g. "secret"');
    if (!/^[\w-]+(\/[\w-]+)*$/.test(path)) fail(scope, 'provider.vault.path', path, 'a mount path such as "secret" or "kv/apps" (no leading or trailing "/")');
    return {
      provider: {
        vault: {
          server,
          path,
          version: v.oneOf(scope, 'provider.vault.version', p.version ?? 'v2', ['v1', 'v2'] as const),
          namespace: v.optionalText(scope, 'provider.vault.vaultNamespace', p.vaultNamespace),
          auth: {
            kubernetes: {
              mountPath: v.text(scope, 'provider.vault.authMountPath', p.authMountPath ?? 'kubernetes', 'the mount path of the Kubernetes auth method'),
              role: v.text(scope, 'provider.vault.role', p.role, 'the Vault role bound to the ServiceAccount'),
              serviceAccountRef: serviceAccountRef(scope, 'provider.vault.serviceAccount', p.serviceAccount, clusterWide),
            },
          },
        },
      },
    };
  }
}

class AwsProvider extends SecretStoreProvider {
  constructor(private readonly props: AwsSecretsManagerProviderProps) { super(); }

  public render(scope: InputLocation, clusterWide: boolean): RenderedProvider {
    const p = this.props;
    if (typeof p.region !== 'string' || !AWS_REGION.test(p.region)) fail(scope, 'provider.aws.region', p.region, 'an AWS region such as "eu-west-1"');
    if (v.isSet(p.roleArn) && (typeof p.roleArn !== 'string' || !IAM_ROLE_ARN.test(p.roleArn))) {
      fail(scope, 'provider.aws.roleArn', p.roleArn, 'an IAM role ARN such as "arn:aws:iam::123456789012:role/secrets-reader"');
    }
    return {
      provider: {
        aws: {
          service: 'SecretsManager',
          region: p.region,
          role: p.roleArn ?? undefined,
          auth: { jwt: { serviceAccountRef: serviceAccountRef(scope, 'provider.aws.serviceAccount', p.serviceAccount, clusterWide) } },
        },
      },
    };
  }
}

class GcpProvider extends SecretStoreProvider {
  constructor(private readonly props: GcpSecretManagerProviderProps) { super(); }

  public render(scope: InputLocation, clusterWide: boolean): RenderedProvider {
    const p = this.props;
    const project = (field: string, value: unknown) => {
      if (typeof value !== 'string' || !GCP_PROJECT.test(value)) fail(scope, field, value, 'a GCP project ID: 6 to 30 lower-case letters, digits and "-", starting with a letter');
      return value;
    };
    const projectID = project('provider.gcpsm.projectId', p.projectId);
    return {
      provider: {
        gcpsm: {
          projectID,
          auth: {
            workloadIdentity: {
              clusterLocation: v.text(scope, 'provider.gcpsm.clusterLocation', p.clusterLocation, 'the GKE cluster\'s location, e.g. "europe-west1"'),
              clusterName: v.dnsLabel(scope, 'provider.gcpsm.clusterName', p.clusterName),
              clusterProjectID: v.isSet(p.clusterProjectId) ? project('provider.gcpsm.clusterProjectId', p.clusterProjectId) : projectID,
              serviceAccountRef: serviceAccountRef(scope, 'provider.gcpsm.serviceAccount', p.serviceAccount, clusterWide),
            },
          },
        },
      },
    };
  }
}
