import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, toJson_PodTemplateSpec } from '../../imports/k8s';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { podWorkloadNetworkPolicy, PodWorkloadProps, renderPodWorkload } from './pod-workload';

/** Props of {@link ServiceDaemonSet}. */
export interface ServiceDaemonSetProps extends PodWorkloadProps {
  /** Nodes updated at once: a count or a percentage such as "10%". @default 1 */
  readonly maxUnavailable?: number | string;
}

/**
 * A DaemonSet for node agents (log shippers, exporters): one pod per node (narrowed with
 * `nodeSelector`, widened to tainted nodes with `tolerations`), hardened like every pod of the
 * library — no host network, host paths or privileges (an agent that needs them does not pass
 * Pod Security "restricted" and belongs in a namespace of its own level).
 */
export class ServiceDaemonSet extends Construct {
  /** The DaemonSet's name. */
  public readonly name: string;
  /** The rendered DaemonSet. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceDaemonSetProps) {
    super(scope, id);
    v.props(this, props, 'ServiceDaemonSetProps');
    const w = renderPodWorkload(this, 'DaemonSet', props);
    this.name = w.name;
    const maxUnavailable = props.maxUnavailable ?? 1;
    const valid = typeof maxUnavailable === 'string' ? /^([1-9]\d?|100)%$/.test(maxUnavailable)
      : Number.isInteger(maxUnavailable) && maxUnavailable >= 1 && maxUnavailable <= 10_000;
    if (!valid) fail(this, 'maxUnavailable', maxUnavailable, 'an integer from 1 to 10000, or a percentage from "1%" to "100%"');
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: w.name, labels: w.labels },
      spec: {
        selector: { matchLabels: w.selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: typeof maxUnavailable === 'string' ? IntOrString.fromString(maxUnavailable).value : maxUnavailable, maxSurge: 0 } },
        revisionHistoryLimit: 10,
        template: toJson_PodTemplateSpec(w.template),
      },
    });
    podWorkloadNetworkPolicy(this, w, props, false);
  }
}
