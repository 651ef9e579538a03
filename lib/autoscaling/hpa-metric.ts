import { IConstruct } from 'constructs';
import { Quantity } from '../../imports/k8s';
import { fail } from '../core/errors';
import { isQuantity } from '../core/quantity';
import * as v from '../core/validators';
import { PrometheusMetric } from './prometheus-metric';

/** What value of a metric the HPA aims for. */
export type MetricTarget =
  | { readonly averageUtilization: number }
  | { readonly averageValue: string | number }
  | { readonly value: string | number };

type MetricType = 'Resource' | 'Pods' | 'Object' | 'External';

/** Target kinds Kubernetes accepts for each metric type. */
const ALLOWED_TARGETS: Record<MetricType, ReadonlyArray<'averageUtilization' | 'averageValue' | 'value'>> = {
  Resource: ['averageUtilization', 'averageValue'],
  Pods: ['averageValue'],
  Object: ['value', 'averageValue'],
  External: ['value', 'averageValue'],
};

/** One metric of an HPA. */
export class HpaMetric {
  /** CPU, e.g. `HpaMetric.cpu({ averageUtilization: 70 })`. */
  public static cpu(target: MetricTarget): HpaMetric {
    return new HpaMetric('Resource', target, { resource: 'cpu' });
  }

  /** Memory, e.g. `HpaMetric.memory({ averageUtilization: 80 })`. */
  public static memory(target: MetricTarget): HpaMetric {
    return new HpaMetric('Resource', target, { resource: 'memory' });
  }

  /** A per-pod custom metric averaged over the pods, e.g. requests per second: `{ averageValue: 100 }`. */
  public static pods(metric: PrometheusMetric, target: MetricTarget): HpaMetric {
    return new HpaMetric('Pods', target, { metric });
  }

  /** A metric of the service's Service object, e.g. P95 latency `{ value: '500m' }` (0.5 s). */
  public static service(metric: PrometheusMetric, target: MetricTarget): HpaMetric {
    return new HpaMetric('Object', target, { metric });
  }

  /** A metric not tied to a Kubernetes object (queue depth in an external system). */
  public static external(metric: PrometheusMetric, target: MetricTarget): HpaMetric {
    return new HpaMetric('External', target, { metric });
  }

  private constructor(
    private readonly type: MetricType,
    private readonly target: MetricTarget,
    private readonly source: { readonly resource?: 'cpu' | 'memory'; readonly metric?: PrometheusMetric },
  ) {}

  /** The resource scaled on (for VPA conflict checks), when this is a CPU or memory metric. */
  public get resource(): 'cpu' | 'memory' | undefined {
    return this.source.resource;
  }

  /** The custom metric, when this is not a resource metric. */
  public get prometheusMetric(): PrometheusMetric | undefined {
    return this.source.metric;
  }

  /** Validates and renders the `metrics[]` entry; `serviceName` is the Service described by Object metrics. */
  public render(scope: IConstruct, field: string, serviceName: string): any {
    const keys = Object.keys(v.object(scope, `${field}.target`, this.target, `a target: for a ${this.type} metric one of ${ALLOWED_TARGETS[this.type].map((k) => `{ ${k} }`).join(', ')}`));
    const kind = keys[0] as keyof typeof this.target;
    if (keys.length !== 1 || !ALLOWED_TARGETS[this.type].includes(kind as any)) {
      fail(scope, `${field}.target`, this.target, `for a ${this.type} metric exactly one of ${ALLOWED_TARGETS[this.type].join(', ')}`);
    }
    const raw = (this.target as any)[kind];
    let target: any;
    if (kind === 'averageUtilization') {
      target = { type: 'Utilization', averageUtilization: v.integer(scope, `${field}.target.averageUtilization`, raw, 1, 1000) };
    } else {
      const quantity = typeof raw === 'number' ? String(raw) : raw;
      if (!isQuantity(quantity)) fail(scope, `${field}.target.${kind}`, raw, 'a Kubernetes quantity such as 100, "500m" or "1.5"');
      // Quantity objects: the generated HPA class drops plain strings in these fields.
      target = kind === 'value' ? { type: 'Value', value: Quantity.fromString(quantity) } : { type: 'AverageValue', averageValue: Quantity.fromString(quantity) };
    }
    const metric = this.type === 'Resource' ? undefined
      : v.instance(scope, `${field}.metric`, this.source.metric, PrometheusMetric, 'a PrometheusMetric, e.g. PrometheusMetric.httpRequestsPerSecond()');
    if (metric) {
      metric.validate(scope, `${field}.metric`);
      const expected = { Pods: 'pod', Object: 'service', External: 'external' }[this.type as 'Pods' | 'Object' | 'External'];
      if (metric.definition.subject !== expected) {
        fail(scope, `${field}.metric`, metric.name, `a metric whose subject is "${expected}" for a ${this.type} metric (this one describes "${metric.definition.subject}")`);
      }
    }
    switch (this.type) {
      case 'Resource': return { type: 'Resource', resource: { name: this.source.resource, target } };
      case 'Pods': return { type: 'Pods', pods: { metric: { name: metric!.name }, target } };
      case 'Object': return { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: serviceName }, metric: { name: metric!.name }, target } };
      default: return { type: 'External', external: { metric: { name: metric!.name }, target } };
    }
  }
}
