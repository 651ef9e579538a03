import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from '../finding';
import { validateHpa, validatePdb } from './autoscaling';
import { validateConfigMap, validateSecret } from './config';
import { validateObjectMeta } from './metadata';
import { validateLimitRange, validateNamespace, validateResourceQuota, validateServiceAccount } from './namespace';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from './networking';
import { validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac';
import { Report } from './rules';
import { validateService } from './service';
import {
  validateCronJob, validateDaemonSet, validateDeployment, validateJob, validatePod, validatePodTemplateObject,
  validateReplicaSet, validateStatefulSet,
} from './workloads';

type Validator = (manifest: any, report: Report) => void;

/** Validators by `group/kind` (the core group is empty): the API groups whose validation the server builds in. */
const VALIDATORS: ReadonlyMap<string, Validator> = new Map<string, Validator>([
  ['/Pod', validatePod],
  ['/PodTemplate', validatePodTemplateObject],
  ['/ReplicationController', validateReplicaSet],
  ['/Service', validateService],
  ['/ConfigMap', validateConfigMap],
  ['/Secret', validateSecret],
  ['/ServiceAccount', validateServiceAccount],
  ['/Namespace', validateNamespace],
  ['/ResourceQuota', validateResourceQuota],
  ['/LimitRange', validateLimitRange],
  ['apps/Deployment', validateDeployment],
  ['apps/ReplicaSet', validateReplicaSet],
  ['apps/StatefulSet', validateStatefulSet],
  ['apps/DaemonSet', validateDaemonSet],
  ['batch/Job', validateJob],
  ['batch/CronJob', validateCronJob],
  ['autoscaling/HorizontalPodAutoscaler', validateHpa],
  ['policy/PodDisruptionBudget', validatePdb],
  ['networking.k8s.io/NetworkPolicy', validateNetworkPolicy],
  ['networking.k8s.io/Ingress', validateIngress],
  ['networking.k8s.io/IngressClass', validateIngressClass],
  ['rbac.authorization.k8s.io/Role', validateRole],
  ['rbac.authorization.k8s.io/ClusterRole', validateClusterRole],
  ['rbac.authorization.k8s.io/RoleBinding', validateRoleBinding],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', validateClusterRoleBinding],
]);

/** The same table by kind, then API group: most objects of a mesh platform are custom kinds, refused by the first lookup. */
const BY_KIND = new Map<string, Map<string, Validator>>();
for (const [key, validator] of VALIDATORS) {
  const slash = key.indexOf('/');
  const kind = key.slice(slash + 1);
  const groups = BY_KIND.get(kind) ?? new Map<string, Validator>();
  groups.set(key.slice(0, slash), validator);
  BY_KIND.set(kind, groups);
}

/** The validator of a manifest's kind, or undefined for kinds the API server does not validate itself (custom resources). */
export function semanticValidatorOf(manifest: any): Validator | undefined {
  const groups = BY_KIND.get(manifest?.kind);
  const apiVersion = manifest?.apiVersion;
  if (!groups || typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return groups.get(slash < 0 ? '' : apiVersion.slice(0, slash));
}

/**
 * The API server's semantic validation of the built-in kinds — the rules no OpenAPI schema
 * carries (Kubernetes `pkg/apis/<group>/validation` and its warnings), reported on the server's
 * own field paths: a selector that does not select its template, a probe with two handlers, a CPU
 * request above its limit, duplicate port names, a Service port out of range, a PDB with both
 * minAvailable and maxUnavailable, an HPA with minReplicas above maxReplicas, and many more.
 * What the server refuses is an error; what it admits with a warning is a warning.
 */
export class SemanticCheck implements PortableCheck {
  public readonly name = 'semantic';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'SemanticCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const findings: Finding[] = [];
    for (const { file, manifest } of objects) {
      const validate = semanticValidatorOf(manifest);
      if (!validate) continue;
      const object = objectRef(manifest);
      const report: Report = {
        error: (path, message) => findings.push({ file, object, path, message, severity: 'error', check: this.name }),
        warn: (path, message) => findings.push({ file, object, path, message, severity: 'warning', check: this.name }),
      };
      validateObjectMeta(manifest, report);
      validate(manifest, report);
    }
    return findings;
  }
}
