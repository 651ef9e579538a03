import { Construct } from 'constructs';
import { KubeHorizontalPodAutoscalerV2, MetricSpecV2 } from '../../imports/k8s';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { renderScalingBehavior, ScalingBehavior } from './scaling-behavior';

/** Autoscaling on CPU and memory utilization (percent of the container's request). */
export interface ResourceAutoscalingOptions {
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** Target average CPU utilization in percent of the request; `null` to not scale on CPU. @default 70 */
  readonly cpuUtilization?: number | null;
  /** Target average memory utilization in percent of the request; `null` to not scale on memory. @default 80 */
  readonly memoryUtilization?: number | null;
  /** Scale-up/down policies and stabilization windows. @default Kubernetes defaults */
  readonly behavior?: ScalingBehavior;
}

/** Props of {@link ResourceHpa}. */
export interface ResourceHpaProps extends ResourceAutoscalingOptions {
  /** The Deployment scaled; also the HPA's name. */
  readonly deploymentName: string;
  /** Labels of the HPA. */
  readonly labels: Record<string, string>;
}

/** Defaults of {@link ResourceAutoscalingOptions} (seed values.yaml). */
export const RESOURCE_AUTOSCALING_DEFAULTS = { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 } as const;

/** An autoscaling/v2 HorizontalPodAutoscaler on CPU and/or memory utilization. */
export class ResourceHpa extends Construct {
  /** The smallest replica count the HPA keeps. */
  public readonly minReplicas: number;
  /** The largest replica count the HPA scales to. */
  public readonly maxReplicas: number;
  /** The resources it scales on. */
  public readonly scaledResources: ReadonlyArray<'cpu' | 'memory'>;

  constructor(scope: Construct, id: string, props: ResourceHpaProps) {
    super(scope, id);
    v.props(this, props, 'ResourceHpaProps');
    v.labels(this, 'labels', v.object(this, 'labels', props.labels, 'a map of label keys to label values'));
    this.minReplicas = props.minReplicas ?? RESOURCE_AUTOSCALING_DEFAULTS.minReplicas;
    this.maxReplicas = props.maxReplicas ?? Math.max(RESOURCE_AUTOSCALING_DEFAULTS.maxReplicas, this.minReplicas);
    v.minMax(this, 'autoscaling.minReplicas', this.minReplicas, 'autoscaling.maxReplicas', this.maxReplicas);
    const metrics: MetricSpecV2[] = [];
    for (const [resource, value] of [
      ['cpu', props.cpuUtilization === undefined ? RESOURCE_AUTOSCALING_DEFAULTS.cpuUtilization : props.cpuUtilization],
      ['memory', props.memoryUtilization === undefined ? RESOURCE_AUTOSCALING_DEFAULTS.memoryUtilization : props.memoryUtilization],
    ] as const) {
      if (value === null) continue;
      v.integer(this, `autoscaling.${resource}Utilization`, value, 1, 1000);
      metrics.push({ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: value } } });
    }
    this.scaledResources = metrics.map((m) => m.resource!.name as 'cpu' | 'memory');
    if (metrics.length === 0) fail(this, 'autoscaling', 'cpuUtilization and memoryUtilization both null', 'at least one of cpuUtilization or memoryUtilization');

    new KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: v.dnsLabel(this, 'deploymentName', props.deploymentName), labels: props.labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics,
        behavior: renderScalingBehavior(this, 'autoscaling.behavior', props.behavior),
      },
    });
  }
}
