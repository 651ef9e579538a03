import { Construct } from 'constructs';
import { SealedSecret } from '../../imports/bitnami.com';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy } from '../../imports/external-secrets.io';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { SECRET_WAYS } from './plaintext-guard';

/** The Secret a service reads, once bound: its name and the keys it is known to hold. */
export interface BoundSecret {
  /** Name of the Kubernetes Secret the pods reference. */
  readonly secretName: string;
  /** Keys the Secret holds; env references are checked against them. */
  readonly keys: readonly string[];
}

/** One remote value an ExternalSecret copies into the Secret. */
export interface RemoteSecretKey {
  /** Key in the secret store (e.g. a Vault path or AWS Secrets Manager name). */
  readonly remoteKey: string;
  /** Property within a JSON-valued remote secret. @default the whole value */
  readonly property?: string;
}

/** Props of {@link SecretSource.fromExternalSecret}. */
export interface ExternalSecretSourceProps {
  /** The SecretStore or ClusterSecretStore to read from. */
  readonly storeName: string;
  /** @default "ClusterSecretStore" */
  readonly storeKind?: 'SecretStore' | 'ClusterSecretStore';
  /** Secret key → where it comes from in the store. */
  readonly keys: Record<string, RemoteSecretKey>;
  /** How often the operator re-reads the store (a Go duration). @default "1h" */
  readonly refreshInterval?: string;
  /** Name of the Secret it creates. @default "<service>-secrets" */
  readonly secretName?: string;
}

/** Props of {@link SecretSource.fromSealedSecret}. */
export interface SealedSecretSourceProps {
  /** Secret key → value encrypted by `kubeseal` for this namespace and name (base64 ciphertext). */
  readonly encryptedData: Record<string, string>;
  /** Name of the Secret the controller unseals; the values must have been sealed for this name. @default "<service>-secrets" */
  readonly secretName?: string;
}

// kubeseal output is base64 of a ciphertext of at least a few hundred bytes.
const SEALED_VALUE = /^[A-Za-z0-9+/]{100,}={0,2}$/;

/**
 * Where a service's secret values come from. There is deliberately no way to give a plaintext
 * value: manifests end up in Git.
 */
export abstract class SecretSource {
  /** A Secret created outside this app (by hand, by a CI job, by another operator). */
  public static fromExistingSecret(secretName: string, keys: string[]): SecretSource {
    // Checked when bound, where the service's construct path is known.
    return new ExistingSecretSource(secretName, keys);
  }

  /** An ExternalSecret (`external-secrets.io/v1`) that syncs values from a secret store. */
  public static fromExternalSecret(props: ExternalSecretSourceProps): SecretSource {
    v.object('SecretSource.fromExternalSecret', 'props', props, 'an object of ExternalSecretSourceProps { storeName, keys, … }');
    return new ExternalSecretSource(props);
  }

  /** A SealedSecret (`bitnami.com/v1alpha1`) holding values encrypted with the cluster's key. */
  public static fromSealedSecret(props: SealedSecretSourceProps): SecretSource {
    v.object('SecretSource.fromSealedSecret', 'props', props, 'an object of SealedSecretSourceProps { encryptedData, secretName? }');
    return new SealedSecretSource(props);
  }

  /**
   * Checks that `value` is a SecretSource; anything else (a map of plaintext values, a string)
   * is refused with the three allowed ways. `null` is the same as no secrets.
   */
  public static check(scope: Construct, field: string, value: unknown): SecretSource | undefined {
    if (!v.isSet(value)) return undefined;
    if (!(value instanceof SecretSource)) fail(scope, field, '<redacted>', SECRET_WAYS);
    return value;
  }

  /** Renders whatever objects the source needs into `scope` and returns the Secret to reference. */
  public abstract bind(scope: Construct, serviceName: string, labels: Record<string, string>): BoundSecret;

  /**
   * A second Secret with the same values, named `<name>-secrets`, rendered into `scope` (for a hook
   * that runs before the service's own objects exist); the existing Secret itself for an existing
   * one; undefined when the values cannot be copied (a SealedSecret is sealed for its own name).
   */
  public bindCopy(_scope: Construct, _name: string, _labels: Record<string, string>): BoundSecret | undefined {
    return undefined;
  }
}

class ExistingSecretSource extends SecretSource {
  constructor(private readonly secretName: string, private readonly keys: string[]) { super(); }

  public bind(scope: Construct): BoundSecret {
    v.dnsSubdomain(scope, 'secrets.secretName', this.secretName);
    v.nonEmpty(scope, 'secrets.keys', this.keys).forEach((key, i) => secretKey(scope, `secrets.keys[${i}]`, key));
    return { secretName: this.secretName, keys: this.keys };
  }

  public bindCopy(scope: Construct): BoundSecret {
    return this.bind(scope);
  }
}

class ExternalSecretSource extends SecretSource {
  constructor(private readonly props: ExternalSecretSourceProps) { super(); }

  public bindCopy(scope: Construct, name: string, labels: Record<string, string>): BoundSecret {
    return new ExternalSecretSource({ ...this.props, secretName: `${name}-secrets` }).bind(scope, name, labels);
  }

  public bind(scope: Construct, serviceName: string, labels: Record<string, string>): BoundSecret {
    const p = this.props;
    const secretName = v.dnsSubdomain(scope, 'secrets.secretName', p.secretName ?? `${serviceName}-secrets`);
    v.dnsSubdomain(scope, 'secrets.storeName', p.storeName);
    v.oneOf(scope, 'secrets.storeKind', p.storeKind ?? 'ClusterSecretStore', ['SecretStore', 'ClusterSecretStore'] as const);
    v.optionalText(scope, 'secrets.refreshInterval', p.refreshInterval, 'a duration such as "1h"');
    const keys = Object.keys(v.object(scope, 'secrets.keys', p.keys, 'a map of Secret keys to { remoteKey, property? }'));
    v.nonEmpty(scope, 'secrets.keys', keys);
    for (const key of keys) {
      secretKey(scope, `secrets.keys key`, key);
      const remote = v.object(scope, `secrets.keys.${key}`, p.keys[key], 'a RemoteSecretKey { remoteKey, property? }');
      v.text(scope, `secrets.keys.${key}.remoteKey`, remote.remoteKey, 'the key in the secret store');
      v.optionalText(scope, `secrets.keys.${key}.property`, remote.property, 'a property of the remote secret');
    }
    new ExternalSecret(scope, 'ExternalSecret', {
      metadata: { name: secretName, labels },
      spec: {
        refreshInterval: p.refreshInterval ?? '1h',
        secretStoreRef: {
          name: p.storeName,
          kind: p.storeKind === 'SecretStore' ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
        },
        target: { name: secretName, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
        data: keys.map((secretKey) => ({
          secretKey,
          remoteRef: { key: p.keys[secretKey].remoteKey, property: p.keys[secretKey].property },
        })),
      },
    });
    return { secretName, keys };
  }
}

class SealedSecretSource extends SecretSource {
  constructor(private readonly props: SealedSecretSourceProps) { super(); }

  public bind(scope: Construct, serviceName: string, labels: Record<string, string>): BoundSecret {
    const secretName = v.dnsSubdomain(scope, 'secrets.secretName', this.props.secretName ?? `${serviceName}-secrets`);
    const keys = Object.keys(v.object(scope, 'secrets.encryptedData', this.props.encryptedData, 'a map of Secret keys to kubeseal-encrypted values'));
    v.nonEmpty(scope, 'secrets.encryptedData', keys);
    keys.forEach((key) => secretKey(scope, 'secrets.encryptedData key', key));
    for (const [key, value] of Object.entries(this.props.encryptedData)) {
      if (typeof value !== 'string' || !SEALED_VALUE.test(value)) {
        fail(scope, `secrets.encryptedData.${key}`, '<redacted>',
          `a kubeseal-encrypted value (base64 ciphertext, 100+ characters); this looks like plaintext. ${SECRET_WAYS}`);
      }
    }
    new SealedSecret(scope, 'SealedSecret', {
      metadata: { name: secretName, labels },
      spec: {
        encryptedData: this.props.encryptedData,
        template: { metadata: { name: secretName, labels } },
      },
    });
    return { secretName, keys };
  }
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A key of a Secret: alphanumerics, "-", "_" and "." (what Kubernetes accepts in `data`). */
function secretKey(scope: Construct, field: string, key: unknown): string {
  if (typeof key !== 'string' || key.length > 253 || !SECRET_KEY.test(key)) {
    fail(scope, field, key, 'a Secret key: letters, digits, "-", "_" and ".", at most 253 characters');
  }
  return key;
}
