import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { KedaTrigger } from './keda-trigger';
import { renderScalingBehavior, ScalingBehavior } from './scaling-behavior';

/** Props of {@link KedaScaler}. */
export interface KedaScalerProps {
  /** The service scaled (its stable Deployment). */
  readonly service: MicroserviceChart;
  /** What drives scaling (Redis list length, Kafka lag, a Prometheus query). */
  readonly triggers: KedaTrigger[];
  /** Fewest replicas; 0 lets KEDA scale the workload to zero when idle. @default 1 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** Seconds between checks of the triggers. @default 30 */
  readonly pollingInterval?: number;
  /** Seconds after the last active trigger before scaling to zero. @default 300 */
  readonly cooldownPeriod?: number;
  /** Replicas while no trigger is active; only 0 is supported by KEDA. @default none */
  readonly idleReplicaCount?: number;
  /** Replicas to hold when the triggers cannot be read `failureThreshold` times in a row. @default none */
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number };
  /** Behavior of the HPA KEDA creates. @default Kubernetes defaults */
  readonly behavior?: ScalingBehavior;
}

/**
 * A KEDA ScaledObject for a service, with the TriggerAuthentication its triggers' credentials
 * come through (a Secret reference, never metadata). It takes `spec.replicas` over from the
 * Deployment and refuses to share the workload with another autoscaler.
 */
export class KedaScaler extends Construct {
  /** Name of the ScaledObject. */
  public readonly scaledObjectName: string;

  constructor(scope: Construct, id: string, props: KedaScalerProps) {
    super(scope, id);
    v.props(this, props, 'KedaScalerProps');
    const svc = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service scaled');
    const name = this.scaledObjectName = svc.deployment.name;
    // KEDA names the HPA it creates keda-hpa-<name>; an object name may have 63 characters.
    if (`keda-hpa-${name}`.length > 63) fail(this, 'name', name, 'a ScaledObject name of at most 54 characters (its HPA keda-hpa-<name> must fit in 63)');
    const min = props.minReplicas ?? 1;
    const max = props.maxReplicas ?? Math.max(10, min);
    v.minMax(this, 'minReplicas', min, 'maxReplicas', max, 0);
    if (max < 1) fail(this, 'maxReplicas', max, 'at least 1');
    if (v.isSet(props.idleReplicaCount)) {
      if (props.idleReplicaCount !== 0) fail(this, 'idleReplicaCount', props.idleReplicaCount, '0 (the only idle count KEDA supports)');
      if (min < 1) fail(this, 'idleReplicaCount', props.idleReplicaCount, 'an idle count below minReplicas (set minReplicas to 1 or more)');
    }
    if (v.isSet(props.pollingInterval)) v.integer(this, 'pollingInterval', props.pollingInterval, 1, 86_400);
    if (v.isSet(props.cooldownPeriod)) v.integer(this, 'cooldownPeriod', props.cooldownPeriod, 0, 86_400);
    const fallback = v.optionalObject(this, 'fallback', props.fallback, 'an object { failureThreshold, replicas }');
    if (fallback) {
      v.integer(this, 'fallback.failureThreshold', fallback.failureThreshold, 1, 1000);
      v.integer(this, 'fallback.replicas', fallback.replicas, 1, max);
    }
    v.nonEmpty(this, 'triggers', props.triggers).forEach((t, i) => v.instance(this, `triggers[${i}]`, t, KedaTrigger,
      'a KedaTrigger: KedaTrigger.redisList(…), redisClusterList, redisSentinelList, kafka or prometheus'));

    const triggers = props.triggers.map((t, i) => {
      const metadata = t.metadata(this, `triggers[${i}]`);
      const auth = Object.entries(t.credentials);
      let authenticationRef: { name: string } | undefined;
      if (auth.length > 0) {
        const authName = `${name}-${t.type}${props.triggers.length > 1 ? `-${i}` : ''}`;
        new ApiObject(this, `TriggerAuthentication${i}`, {
          ...CustomKinds.TriggerAuthentication,
          metadata: { name: authName, labels: svc.serviceLabels },
          spec: { secretTargetRef: auth.map(([parameter, ref]) => ({ parameter, name: ref.secretName, key: ref.key })) },
        });
        authenticationRef = { name: authName };
      }
      return { type: t.type, metadata, authenticationRef };
    });

    svc.attachAutoscaler(this, { field: 'KedaScaler', kind: 'ScaledObject' });
    const behavior = renderScalingBehavior(this, 'behavior', props.behavior);
    new ApiObject(this, 'ScaledObject', {
      ...CustomKinds.ScaledObject,
      metadata: { name, labels: svc.serviceLabels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicaCount: min,
        maxReplicaCount: max,
        pollingInterval: props.pollingInterval,
        cooldownPeriod: props.cooldownPeriod,
        idleReplicaCount: props.idleReplicaCount,
        fallback: fallback,
        advanced: behavior ? { horizontalPodAutoscalerConfig: { behavior } } : undefined,
        triggers,
      },
    });
  }
}
