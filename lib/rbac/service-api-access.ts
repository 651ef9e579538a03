import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as v from '../core/validators';
import { ApiAccessRule, policyRules } from './api-access-rule';

const RBAC = { apiVersion: 'rbac.authorization.k8s.io/v1' };

/** Props of {@link ServiceApiAccess}. */
export interface ServiceApiAccessProps {
  /** Name of the Role and RoleBinding. */
  readonly name: string;
  /** The ServiceAccount granted the access (in the chart's namespace). */
  readonly serviceAccountName: string;
  /** The Kubernetes API access the service needs; no wildcards. */
  readonly rules: ApiAccessRule[];
  /** Labels of the Role and RoleBinding. @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A Role granting a service exactly the API access it declares, bound to its ServiceAccount in
 * its own namespace. A service with API access needs its token: {@link mountTokenInto} mounts it
 * into the service's pods (everything else keeps `automountServiceAccountToken: false`).
 */
export class ServiceApiAccess extends Construct {
  /** Name of the Role. */
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: ServiceApiAccessProps) {
    super(scope, id);
    v.props(this, props, 'ServiceApiAccessProps');
    this.roleName = v.dnsSubdomain(this, 'name', props.name);
    const serviceAccount = v.dnsSubdomain(this, 'serviceAccountName', props.serviceAccountName);
    const labels = v.labels(this, 'labels', props.labels);
    new ApiObject(this, 'Role', {
      ...RBAC, kind: 'Role',
      metadata: { name: this.roleName, labels },
      rules: policyRules(this, 'apiAccess', props.rules),
    });
    new ApiObject(this, 'RoleBinding', {
      ...RBAC, kind: 'RoleBinding',
      metadata: { name: this.roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.roleName },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount }],
    });
  }

  /**
   * Mounts the ServiceAccount token into the pods of `deployments` (their template says
   * `automountServiceAccountToken: false` by default): the access is useless without it.
   */
  public mountTokenInto(deployments: ReadonlyArray<{ readonly resource: { addJsonPatch(...ops: JsonPatch[]): void } }>): void {
    for (const d of deployments) d.resource.addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true));
  }
}
