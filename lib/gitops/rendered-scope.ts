import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** An API group and kind, as Argo CD's project whitelists name them (`""` for the core group). */
export interface GroupKind {
  /** API group, `""` for the core group. */
  readonly group: string;
  /** Kind, e.g. "Deployment". */
  readonly kind: string;
}

/** A cluster-scoped object, by group, kind and name. */
export interface ClusterObject extends GroupKind {
  /** Its name. */
  readonly name: string;
}

/** What an app renders, as an Argo CD project must admit it. */
export interface RenderedScope {
  /** Kinds of namespaced objects, sorted. */
  readonly namespacedKinds: readonly GroupKind[];
  /** Cluster-scoped objects, sorted. */
  readonly clusterObjects: readonly ClusterObject[];
  /** Namespaces objects are written to (an object without one goes to `defaultNamespace`), sorted. */
  readonly namespaces: readonly string[];
}

/**
 * Kinds that live outside namespaces (built-in and of the controllers this library knows). Any
 * other kind without a namespace is namespaced and lands in the Application's destination namespace.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService',
  'PriorityClass', 'StorageClass', 'CSIDriver', 'RuntimeClass', 'IngressClass', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'VolumeSnapshotClass',
  'ClusterIssuer', 'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterTriggerAuthentication', 'ClusterAnalysisTemplate', 'GatewayClass',
]);

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `""`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The kinds, cluster-scoped objects and namespaces of manifests. */
export function scopeOfManifests(manifests: Iterable<any>, defaultNamespace: string): RenderedScope {
  const kinds = new Map<string, GroupKind>();
  const cluster = new Map<string, ClusterObject>();
  const namespaces = new Set<string>();
  for (const m of manifests) {
    const group = groupOf(String(m.apiVersion ?? ''));
    const kind = String(m.kind ?? '');
    const ns: string | undefined = m.metadata?.namespace;
    if (!ns && CLUSTER_SCOPED_KINDS.has(kind)) {
      const name = String(m.metadata?.name ?? '');
      cluster.set(`${group}/${kind}/${name}`, { group, kind, name });
    } else {
      kinds.set(`${group}/${kind}`, { group, kind });
      namespaces.add(ns ?? defaultNamespace);
    }
  }
  const byKey = <T extends GroupKind>(a: T, b: T) => `${a.group}/${a.kind}/${(a as any).name ?? ''}`.localeCompare(`${b.group}/${b.kind}/${(b as any).name ?? ''}`);
  return { namespacedKinds: [...kinds.values()].sort(byKey), clusterObjects: [...cluster.values()].sort(byKey), namespaces: [...namespaces].sort() };
}

/** What `root` (an App or a chart) renders: every ApiObject below it, as its manifest. */
export function renderedScope(root: IConstruct, defaultNamespace: string): RenderedScope {
  // Only identity is needed: read from the objects rather than rendering each (toJson resolves the whole object).
  const manifests = root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.metadata.namespace } }));
  return scopeOfManifests(manifests, defaultNamespace);
}
