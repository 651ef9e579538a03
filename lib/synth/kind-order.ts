/**
 * Order of kinds inside one file, so that a one-pass `kubectl apply` creates what an object
 * refers to before the object: namespace before its contents, identities and config before
 * workloads, DestinationRule subsets before the routes that name them (make-before-break).
 */
const KIND_ORDER = [
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'ClusterRole',
  'Role',
  'ClusterRoleBinding',
  'RoleBinding',
  'ConfigMap',
  'ClusterIssuer',
  'Issuer',
  'Certificate',
  'ClusterSecretStore',
  'SecretStore',
  'SealedSecret',
  'ExternalSecret',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'ServiceEntry',
  'DestinationRule',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'TriggerAuthentication',
  'HorizontalPodAutoscaler',
  'ScaledObject',
  'VerticalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  // After their NetworkPolicy: a job's pods start with their egress already allowed.
  'Job',
  'CronJob',
  'PeerAuthentication',
  'RequestAuthentication',
  'AuthorizationPolicy',
  'Telemetry',
  'Sidecar',
  'Gateway',
  'VirtualService',
  'Canary',
  'Ingress',
  'AppProject',
  'Application',
  'ApplicationSet',
];

const RANK = new Map(KIND_ORDER.map((kind, i) => [kind, i]));

/** Sort rank of a kind; unknown kinds go last, in definition order. */
export function kindRank(kind: string): number {
  return RANK.get(kind) ?? KIND_ORDER.length;
}
