import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { warn } from '../core/warnings';
import { MicroserviceChart } from '../microservice/microservice-chart';

/** How the VPA applies its recommendations. */
export type VpaUpdateMode = 'Off' | 'Initial' | 'Recreate' | 'InPlaceOrRecreate' | 'Auto';

/** CPU and memory bounds (quantities). */
export interface ResourceBounds {
  readonly cpu?: string;
  readonly memory?: string;
}

/** Props of {@link ServiceVpa}. */
export interface ServiceVpaProps {
  /** The service (its stable Deployment). */
  readonly service: MicroserviceChart;
  /**
   * `Off`: recommendations only; `Initial`: applied when pods are created; `Recreate`: pods are
   * evicted to apply them; `InPlaceOrRecreate`: resized in place when possible. `Auto` is
   * deprecated upstream (it means Recreate) and accepted with a warning.
   * @default "Off"
   */
  readonly updateMode?: VpaUpdateMode;
  /** Lowest requests it may set. @default none */
  readonly minAllowed?: ResourceBounds;
  /** Highest requests it may set. @default none */
  readonly maxAllowed?: ResourceBounds;
  /** Resources it controls. @default ["cpu", "memory"] */
  readonly controlledResources?: Array<'cpu' | 'memory'>;
  /** Whether limits are scaled with requests. @default "RequestsAndLimits" */
  readonly controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
}

/**
 * A VerticalPodAutoscaler for the application container. One that changes pods (any mode but
 * Off) is refused on a resource an HPA scales on: the HPA reacts to utilization relative to the
 * request the VPA keeps moving.
 */
export class ServiceVpa extends Construct {
  constructor(scope: Construct, id: string, props: ServiceVpaProps) {
    super(scope, id);
    v.props(this, props, 'ServiceVpaProps');
    const svc = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service');
    const mode = v.oneOf(this, 'updateMode', props.updateMode ?? 'Off', ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto'] as const);
    if (mode === 'Auto') warn(this, 'updateMode "Auto" is deprecated by the VPA project (it behaves as "Recreate"); use "Recreate" or "InPlaceOrRecreate"');
    const controlled = props.controlledResources ?? ['cpu', 'memory'];
    v.nonEmpty(this, 'controlledResources', controlled).forEach((r, i) => v.oneOf(this, `controlledResources[${i}]`, r, ['cpu', 'memory'] as const));
    const bounds = (field: string, value?: ResourceBounds) => {
      const b = v.optionalObject(this, field, value, 'an object { cpu?, memory? } of quantities');
      return b && {
        ...(b.cpu ? { cpu: v.quantity(this, `${field}.cpu`, b.cpu) } : {}),
        ...(b.memory ? { memory: v.quantity(this, `${field}.memory`, b.memory) } : {}),
      };
    };
    const min = bounds('minAllowed', props.minAllowed);
    const max = bounds('maxAllowed', props.maxAllowed);
    for (const r of ['cpu', 'memory'] as const) {
      if (min?.[r] && max?.[r]) v.requestWithinLimit(this, `minAllowed.${r}`, min[r]!, max[r]);
    }
    if (props.controlledValues) v.oneOf(this, 'controlledValues', props.controlledValues, ['RequestsAndLimits', 'RequestsOnly'] as const);
    if (mode !== 'Off' && svc.tracks.length > 1) {
      fail(this, 'updateMode', mode, '"Off" while the service runs a canary or further track (evictions would disturb the comparison)');
    }
    svc.attachVpa(this, mode, controlled);
    new ApiObject(this, 'Resource', {
      ...CustomKinds.VerticalPodAutoscaler,
      metadata: { name: svc.deployment.name, labels: svc.serviceLabels },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.deployment.name },
        updatePolicy: { updateMode: mode },
        resourcePolicy: {
          containerPolicies: [{
            containerName: svc.serviceName,
            minAllowed: min,
            maxAllowed: max,
            controlledResources: controlled,
            controlledValues: props.controlledValues,
          }],
        },
      },
    });
  }
}
