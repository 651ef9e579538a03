import { Construct } from 'constructs';
import { IntOrString, KubePodDisruptionBudget } from '../../imports/k8s';
import { fail } from '../core/errors';
import { labelSelector } from '../core/labels';
import * as v from '../core/validators';

/** How many pods of a service voluntary disruptions (node drains, upgrades) may take at once. */
export interface DisruptionBudgetOptions {
  /** Pods that must stay available: a count, or a percentage such as "50%". Exclusive with `maxUnavailable`. @default none */
  readonly minAvailable?: number | string;
  /** Pods that may be down at once: a count, or a percentage such as "25%". @default 1 */
  readonly maxUnavailable?: number | string;
}

/** Props of {@link ServiceDisruptionBudget}. */
export interface ServiceDisruptionBudgetProps extends DisruptionBudgetOptions {
  /** Name of the budget (the service name). */
  readonly name: string;
  /** Pods covered: every track of the service; a function is read at synthesis. */
  readonly selector: Record<string, string> | (() => Record<string, string>);
  /** The most replicas that can run; a minAvailable at or above it would block every drain. */
  readonly maxReplicas: number;
  /** Labels of the budget. */
  readonly labels: Record<string, string>;
}

/** A PodDisruptionBudget for a service that runs more than one replica. */
export class ServiceDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: ServiceDisruptionBudgetProps) {
    super(scope, id);
    v.props(this, props, 'ServiceDisruptionBudgetProps');
    v.dnsSubdomain(this, 'name', props.name);
    v.integer(this, 'maxReplicas', props.maxReplicas, 1, Number.MAX_SAFE_INTEGER);
    v.labels(this, 'labels', v.object(this, 'labels', props.labels, 'a map of label keys to label values'));
    if (typeof props.selector !== 'function') v.labels(this, 'selector', v.object(this, 'selector', props.selector, 'pod labels, or a function returning them'));
    if (v.isSet(props.minAvailable) && v.isSet(props.maxUnavailable)) {
      fail(this, 'disruptionBudget', props, 'either minAvailable or maxUnavailable, not both');
    }
    let budget: { minAvailable?: IntOrString; maxUnavailable?: IntOrString };
    if (v.isSet(props.minAvailable)) {
      // A count must leave one pod to disrupt; a percentage must be below 100 %.
      budget = { minAvailable: countOrPercent(this, 'disruptionBudget.minAvailable', props.minAvailable, 0, props.maxReplicas - 1, 0, 99) };
    } else {
      budget = { maxUnavailable: countOrPercent(this, 'disruptionBudget.maxUnavailable', props.maxUnavailable ?? 1, 1, 10_000, 1, 100) };
    }
    new KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: { ...budget, selector: labelSelector(props.selector), unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
  }
}

const PERCENT = /^(\d{1,3})%$/;

/** A count within [min, max], or a percentage "<n>%" within [minPercent, maxPercent]. */
function countOrPercent(scope: Construct, field: string, value: unknown, min: number, max: number, minPercent: number, maxPercent: number): IntOrString {
  if (typeof value === 'string') {
    const match = PERCENT.exec(value);
    const n = match ? Number(match[1]) : NaN;
    if (!(n >= minPercent && n <= maxPercent)) fail(scope, field, value, `an integer from ${min} to ${max}, or a percentage from "${minPercent}%" to "${maxPercent}%"`);
    return IntOrString.fromString(value);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(scope, field, value, `an integer from ${min} to ${max}, or a percentage from "${minPercent}%" to "${maxPercent}%"`);
  }
  return IntOrString.fromNumber(value);
}
