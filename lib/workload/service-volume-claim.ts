import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { toJson_PersistentVolumeClaimSpec } from '../../imports/k8s';
import * as v from '../core/validators';
import { claimSpec, ClaimOptions } from './volumes';

/** Props of {@link ServiceVolumeClaim}. */
export interface ServiceVolumeClaimProps extends ClaimOptions {
  /** The claim's name; pods mount it with a volume `{ persistentVolumeClaim: { claimName } }`. */
  readonly name: string;
  /** @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A standalone PersistentVolumeClaim (size validated as a quantity, access modes, storage class),
 * for a volume shared by the pods of a Deployment or kept across Jobs. A StatefulSet's per-pod
 * volumes are claim templates instead (ServiceStatefulSet `volumeClaimTemplates`).
 */
export class ServiceVolumeClaim extends Construct {
  public readonly name: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceVolumeClaimProps) {
    super(scope, id);
    v.props(this, props, 'ServiceVolumeClaimProps');
    this.name = v.dnsSubdomain(this, 'name', props.name);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: this.name, labels: v.isSet(props.labels) ? v.labels(this, 'labels', props.labels) : undefined },
      spec: toJson_PersistentVolumeClaimSpec(claimSpec(this, 'props', props)),
    });
  }
}
