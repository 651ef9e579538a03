import { IConstruct } from 'constructs';
import { HorizontalPodAutoscalerBehaviorV2, HpaScalingRulesV2 } from '../../imports/k8s';
import * as v from '../core/validators';

/** One scaling policy: at most `value` pods (or percent) per `periodSeconds`. */
export interface ScalingPolicy {
  /** `Pods` or `Percent`. */
  readonly type: 'Pods' | 'Percent';
  /** How many pods (or percent of current pods). */
  readonly value: number;
  /** The window the limit applies to, 1–1800 s. */
  readonly periodSeconds: number;
}

/** Rules for one direction of scaling. */
export interface ScalingRules {
  /** Seconds of past recommendations considered, 0–3600. @default Kubernetes: 0 up, 300 down */
  readonly stabilizationWindowSeconds?: number;
  /** Rate limits. @default Kubernetes defaults */
  readonly policies?: ScalingPolicy[];
  /** Which policy wins when several apply. @default "Max" */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
}

/** Scale-up and scale-down behavior of an HPA. */
export interface ScalingBehavior {
  /** @default Kubernetes defaults */
  readonly scaleUp?: ScalingRules;
  /** @default Kubernetes defaults */
  readonly scaleDown?: ScalingRules;
}

/** Validates and renders `behavior` (undefined when not given). */
export function renderScalingBehavior(scope: IConstruct, field: string, behavior: ScalingBehavior | undefined): HorizontalPodAutoscalerBehaviorV2 | undefined {
  if (!v.optionalObject(scope, field, behavior, 'a ScalingBehavior object { scaleUp?, scaleDown? }')) return undefined;
  const rules = (name: string, rules: ScalingRules | undefined): HpaScalingRulesV2 | undefined => {
    const r = v.optionalObject(scope, `${field}.${name}`, rules, 'a ScalingRules object { stabilizationWindowSeconds?, policies?, selectPolicy? }');
    if (!r) return undefined;
    if (v.isSet(r.stabilizationWindowSeconds)) {
      v.integer(scope, `${field}.${name}.stabilizationWindowSeconds`, r.stabilizationWindowSeconds, 0, 3600);
    }
    v.optionalList(scope, `${field}.${name}.policies`, r.policies).forEach((p, i) => {
      v.object(scope, `${field}.${name}.policies[${i}]`, p, 'a ScalingPolicy { type, value, periodSeconds }');
      v.oneOf(scope, `${field}.${name}.policies[${i}].type`, p.type, ['Pods', 'Percent'] as const);
      v.integer(scope, `${field}.${name}.policies[${i}].value`, p.value, 1, 100_000);
      v.integer(scope, `${field}.${name}.policies[${i}].periodSeconds`, p.periodSeconds, 1, 1800);
    });
    if (v.isSet(r.selectPolicy)) v.oneOf(scope, `${field}.${name}.selectPolicy`, r.selectPolicy, ['Max', 'Min', 'Disabled'] as const);
    return {
      stabilizationWindowSeconds: r.stabilizationWindowSeconds,
      policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
      selectPolicy: r.selectPolicy,
    };
  };
  return { scaleUp: rules('scaleUp', behavior!.scaleUp), scaleDown: rules('scaleDown', behavior!.scaleDown) };
}
