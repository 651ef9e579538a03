import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';

/** Options of {@link PlatformReferenceCheck}. */
export interface PlatformReferenceCheckOptions {
  /**
   * Objects that exist without being in the output, as `Kind/name` (cluster-scoped) or
   * `Kind/namespace/name`: `ClusterIssuer/letsencrypt-prod`, `ClusterSecretStore/vault`,
   * `Secret/istio-system/wildcard-tls`, `ServiceAccount/ci/deployer`. @default none
   */
  readonly externalObjects?: string[];
  /** Namespaces of Istio ingress gateway pods, where a Gateway's `credentialName` Secret is looked up (besides the Gateway's own). @default ["istio-system"] */
  readonly gatewayNamespaces?: string[];
}

const CERT_MANAGER_GROUP = 'cert-manager.io';

/**
 * References to the platform's controllers resolve inside the output, or to objects declared
 * external — never silently assumed:
 * - a cert-manager Certificate's `issuerRef` names an Issuer of its namespace or a ClusterIssuer;
 * - an Istio Gateway's TLS `credentialName` is the Secret of a Certificate (or a Secret) in the
 *   ingress gateway's namespace; two Certificates never write one Secret;
 * - an ExternalSecret's `secretStoreRef` names a SecretStore of its namespace or a ClusterSecretStore;
 * - a secret store's `serviceAccountRef` names an existing ServiceAccount;
 * - a RoleBinding's or ClusterRoleBinding's role and ServiceAccount subjects exist.
 */
export class PlatformReferenceCheck implements PortableCheck {
  public readonly name = 'platform-reference';
  public readonly threadFactory: ThreadFactory;
  private readonly external: Set<string>;
  private readonly gatewayNamespaces: readonly string[];

  constructor(options: PlatformReferenceCheckOptions = {}) {
    this.threadFactory = { module: __filename, exportName: 'PlatformReferenceCheck', args: [options] };
    this.external = new Set(options.externalObjects ?? []);
    this.gatewayNamespaces = options.gatewayNamespaces ?? ['istio-system'];
  }

  public check(objects: readonly ManifestObject[]): Finding[] {
    const findings: Finding[] = [];
    const present = new Set<string>();
    // Secrets written by Certificates, `namespace/secret` → the Certificate.
    const certificateSecrets = new Map<string, ManifestObject>();
    for (const o of objects) {
      const m = o.manifest;
      present.add(ref(m?.kind, m?.metadata?.namespace, m?.metadata?.name));
      if (m?.kind === 'Certificate' && isGroup(m.apiVersion, CERT_MANAGER_GROUP) && typeof m.spec?.secretName === 'string') {
        const k = `${m.metadata?.namespace ?? ''}/${m.spec.secretName}`;
        const first = certificateSecrets.get(k);
        if (first) {
          findings.push({ file: o.file, object: objectRef(m), path: 'spec.secretName', message: `Secret "${m.spec.secretName}" is also written by ${objectRef(first.manifest)} (${first.file}): the two would overwrite each other`, severity: 'error', check: this.name });
        } else {
          certificateSecrets.set(k, o);
        }
      }
    }
    const exists = (kind: string, ns: string | undefined, name: string) => present.has(ref(kind, ns, name)) || this.external.has(ref(kind, ns, name));

    for (const o of objects) {
      const m = o.manifest;
      const kind = m?.kind;
      const ns: string | undefined = m?.metadata?.namespace;
      const emit = (path: string, message: string) => findings.push({ file: o.file, object: objectRef(m), path, message, severity: 'error', check: this.name });

      if (kind === 'Certificate' && isGroup(m.apiVersion, CERT_MANAGER_GROUP)) {
        const issuer = m.spec?.issuerRef;
        if (issuer?.name && (issuer.group ?? CERT_MANAGER_GROUP) === CERT_MANAGER_GROUP) {
          const issuerKind = issuer.kind ?? 'Issuer';
          const issuerNs = issuerKind === 'ClusterIssuer' ? undefined : ns;
          if (!exists(issuerKind, issuerNs, issuer.name)) {
            emit('spec.issuerRef.name', `${issuerKind} "${issuer.name}"${issuerNs ? ` in "${issuerNs}"` : ''} is neither in this output nor declared external (externalObjects: ${ref(issuerKind, issuerNs, issuer.name)})`);
          }
        }
      } else if (kind === 'Gateway' && isGroup(m.apiVersion, 'networking.istio.io')) {
        (m.spec?.servers ?? []).forEach((server: any, i: number) => {
          const secret = server?.tls?.credentialName;
          if (typeof secret !== 'string' || secret.length === 0) return;
          const namespaces = ns && !this.gatewayNamespaces.includes(ns) ? [...this.gatewayNamespaces, ns] : this.gatewayNamespaces;
          const found = namespaces.some((n) => certificateSecrets.has(`${n}/${secret}`) || exists('Secret', n, secret));
          if (!found) {
            emit(`spec.servers[${i}].tls.credentialName`, `no Certificate writes Secret "${secret}" in ${namespaces.map((n) => `"${n}"`).join(' or ')} (the ingress gateway's namespace), nor is the Secret in this output or declared external (externalObjects: ${ref('Secret', namespaces[0], secret)})`);
          }
        });
      } else if (kind === 'ExternalSecret' && isGroup(m.apiVersion, 'external-secrets.io')) {
        const store = m.spec?.secretStoreRef;
        if (store?.name) {
          const storeKind = store.kind ?? 'SecretStore';
          const storeNs = storeKind === 'ClusterSecretStore' ? undefined : ns;
          if (!exists(storeKind, storeNs, store.name)) {
            emit('spec.secretStoreRef.name', `${storeKind} "${store.name}"${storeNs ? ` in "${storeNs}"` : ''} is neither in this output nor declared external (externalObjects: ${ref(storeKind, storeNs, store.name)})`);
          }
        }
      } else if ((kind === 'SecretStore' || kind === 'ClusterSecretStore') && isGroup(m.apiVersion, 'external-secrets.io')) {
        for (const [path, sa] of serviceAccountRefs(m.spec?.provider, 'spec.provider')) {
          const saNs = sa.namespace ?? ns;
          if (!saNs) {
            emit(`${path}.namespace`, `a ClusterSecretStore's serviceAccountRef needs a namespace`);
          } else if (!exists('ServiceAccount', saNs, sa.name)) {
            emit(`${path}.name`, `ServiceAccount "${sa.name}" in "${saNs}" is neither in this output nor declared external (externalObjects: ${ref('ServiceAccount', saNs, sa.name)})`);
          }
        }
      } else if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && isGroup(m.apiVersion, 'rbac.authorization.k8s.io')) {
        const role = m.roleRef;
        if (role?.name && (role.kind === 'Role' || role.kind === 'ClusterRole')) {
          const roleNs = role.kind === 'Role' ? ns : undefined;
          if (!exists(role.kind, roleNs, role.name) && !role.name.startsWith('system:') && !BUILT_IN_CLUSTER_ROLES.has(role.name)) {
            emit('roleRef.name', `${role.kind} "${role.name}" is neither in this output nor declared external (externalObjects: ${ref(role.kind, roleNs, role.name)})`);
          }
        }
        (m.subjects ?? []).forEach((s: any, i: number) => {
          if (s?.kind !== 'ServiceAccount' || !s.name) return;
          const saNs = s.namespace ?? ns;
          if (saNs && !exists('ServiceAccount', saNs, s.name)) {
            emit(`subjects[${i}].name`, `ServiceAccount "${s.name}" in "${saNs}" is neither in this output nor declared external (externalObjects: ${ref('ServiceAccount', saNs, s.name)})`);
          }
        });
      }
    }
    return findings;
  }
}

/** The ClusterRoles every cluster has (user-facing roles of the RBAC bootstrap policy). */
const BUILT_IN_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

function ref(kind: string, ns: string | undefined, name: string): string {
  return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}

function isGroup(apiVersion: unknown, group: string): boolean {
  return typeof apiVersion === 'string' && apiVersion.startsWith(`${group}/`);
}

/** Every `serviceAccountRef` under a secret store's provider, with its field path. */
function serviceAccountRefs(value: any, path: string, out: Array<[string, { name: string; namespace?: string }]> = []): Array<[string, { name: string; namespace?: string }]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'serviceAccountRef' && child && typeof (child as any).name === 'string') out.push([`${path}.${key}`, child as any]);
    else serviceAccountRefs(child, `${path}.${key}`, out);
  }
  return out;
}
