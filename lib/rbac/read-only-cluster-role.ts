import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { ApiAccessRule, policyRules } from './api-access-rule';

/** A ServiceAccount granted the role. */
export interface RoleSubject {
  /** Name of the ServiceAccount. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
}

/** What the seeds' `readonly-role` grants: reading pods, services, configmaps, deployments and statefulsets. */
export const SEED_READ_ONLY_RULES: readonly ApiAccessRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
];

const RBAC = { apiVersion: 'rbac.authorization.k8s.io/v1' };
const READ_VERBS = ['get', 'list', 'watch'];

/** Props of {@link ReadOnlyClusterRole}. */
export interface ReadOnlyClusterRoleProps {
  /** Name of the ClusterRole and its bindings. */
  readonly name: string;
  /** What may be read; only get, list and watch; `secrets` refused (reading them is not read-only access). @default {@link SEED_READ_ONLY_RULES} */
  readonly rules?: ApiAccessRule[];
  /** The ServiceAccounts (CI, monitoring) granted the role. */
  readonly subjects: RoleSubject[];
  /**
   * Grant it in these namespaces only (a RoleBinding per namespace); without, cluster-wide (a
   * ClusterRoleBinding). @default cluster-wide
   */
  readonly namespaces?: string[];
  /** Labels of the objects. @default managed-by only */
  readonly labels?: Record<string, string>;
}

/**
 * The seeds' read-only ClusterRole for CI and monitoring accounts: get/list/watch on the listed
 * resources, bound cluster-wide or, narrower, in chosen namespaces only.
 */
export class ReadOnlyClusterRole extends Construct {
  constructor(scope: Construct, id: string, props: ReadOnlyClusterRoleProps) {
    super(scope, id);
    v.props(this, props, 'ReadOnlyClusterRoleProps');
    const name = v.dnsSubdomain(this, 'name', props.name);
    const rules = policyRules(this, 'rules', props.rules ?? SEED_READ_ONLY_RULES);
    rules.forEach((rule, i) => {
      const writes = rule.verbs.filter((verb) => !READ_VERBS.includes(verb));
      if (writes.length > 0) fail(this, `rules[${i}].verbs`, writes, 'read verbs only: get, list, watch');
      if (rule.apiGroups.includes('') && rule.resources.some((r) => r === 'secrets' || r.startsWith('secrets/'))) {
        fail(this, `rules[${i}].resources`, 'secrets', 'resources other than secrets (reading a Secret reveals its values)');
      }
    });
    const subjects = v.nonEmpty(this, 'subjects', props.subjects).map((s, i) => {
      const subject = v.object(this, `subjects[${i}]`, s, 'a RoleSubject { name, namespace }');
      return { kind: 'ServiceAccount', name: v.dnsSubdomain(this, `subjects[${i}].name`, subject.name), namespace: v.dnsLabel(this, `subjects[${i}].namespace`, subject.namespace) };
    });
    const labels = { 'app.kubernetes.io/managed-by': MANAGED_BY, ...v.labels(this, 'labels', props.labels) };
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name };
    const clusterScoped = Chart.of(this).namespace !== undefined;
    const role = new ApiObject(this, 'ClusterRole', { ...RBAC, kind: 'ClusterRole', metadata: { name, labels }, rules });
    if (clusterScoped) role.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    if (v.isSet(props.namespaces)) {
      const namespaces = v.nonEmpty(this, 'namespaces', props.namespaces).map((n, i) => v.dnsLabel(this, `namespaces[${i}]`, n));
      v.unique(this, 'namespaces', namespaces);
      for (const ns of namespaces) {
        new ApiObject(this, `Binding-${ns}`, { ...RBAC, kind: 'RoleBinding', metadata: { name, namespace: ns, labels }, roleRef, subjects });
      }
    } else {
      const binding = new ApiObject(this, 'ClusterRoleBinding', { ...RBAC, kind: 'ClusterRoleBinding', metadata: { name, labels }, roleRef, subjects });
      if (clusterScoped) binding.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }
}
