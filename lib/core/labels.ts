import { Lazy } from 'cdk8s';

/** The value of `app.kubernetes.io/managed-by` on everything this library renders. */
export const MANAGED_BY = 'cdk8s';

/** Who a set of pods is: the inputs every label set below is derived from. */
export interface WorkloadIdentity {
  /** The service name (`app` label, `app.kubernetes.io/name`). */
  readonly app: string;
  /** The track version (`version` label, an Istio subset key), e.g. `v1`. */
  readonly version: string;
  /** Unique name of this instance, e.g. the Deployment name. */
  readonly instance: string;
  /** The application version being run, e.g. the image tag. */
  readonly appVersion?: string;
  /** The larger application this is part of, e.g. `ecommerce`. */
  readonly partOf: string;
}

/**
 * The Deployment selector. Only `app` and `version`: both are chosen by the user and never
 * derived from construct paths or image tags, so the (immutable) selector survives refactors
 * and image upgrades.
 */
export function selectorLabels(id: Pick<WorkloadIdentity, 'app' | 'version'>): Record<string, string> {
  return { app: id.app, version: id.version };
}

/** Labels every object of a service carries. */
export function serviceLabels(id: Pick<WorkloadIdentity, 'app' | 'partOf'>): Record<string, string> {
  return {
    'app': id.app,
    'app.kubernetes.io/name': id.app,
    'app.kubernetes.io/part-of': id.partOf,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Labels of the pod template: selector labels plus the recommended `app.kubernetes.io/*` set. */
export function podLabels(id: WorkloadIdentity): Record<string, string> {
  return {
    ...serviceLabels(id),
    ...selectorLabels(id),
    'app.kubernetes.io/instance': id.instance,
    ...(id.appVersion ? { 'app.kubernetes.io/version': id.appVersion } : {}),
  };
}

/**
 * `{ matchLabels }` read at synthesis: the labels a policy selects may change after the policy is
 * defined (a controller attached to the service later, see `MicroserviceChart.handOverWorkload`).
 * The type is that of a plain selector, which is what it resolves to.
 */
export function labelSelector(labels: Record<string, string> | (() => Record<string, string>)): { matchLabels: Record<string, string> } {
  if (typeof labels !== 'function') return { matchLabels: labels };
  return Lazy.any({ produce: () => ({ matchLabels: labels() }) }) as unknown as { matchLabels: Record<string, string> };
}
