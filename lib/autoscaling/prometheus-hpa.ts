import { Construct } from 'constructs';
import { KubeHorizontalPodAutoscalerV2 } from '../../imports/k8s';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { HpaMetric } from './hpa-metric';
import { PrometheusAdapterRules } from './prometheus-adapter-rules';
import { renderScalingBehavior, ScalingBehavior } from './scaling-behavior';

/** Props of {@link PrometheusHpa}. */
export interface PrometheusHpaProps {
  /** The service scaled (its stable Deployment). */
  readonly service: MicroserviceChart;
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** What to scale on: custom Prometheus metrics (Pods, Object, External) and/or CPU and memory. */
  readonly metrics: HpaMetric[];
  /** Scale-up/down policies and stabilization windows. @default Kubernetes defaults */
  readonly behavior?: ScalingBehavior;
  /** The adapter config the metrics' rules go to. @default the app's (PrometheusAdapterRules.of) */
  readonly adapter?: PrometheusAdapterRules;
}

/**
 * An autoscaling/v2 HPA on application metrics from Prometheus (requests per second, latency
 * quantiles, error rate), optionally with CPU and memory. Every custom metric it uses is
 * registered with the app's prometheus-adapter rules. It takes `spec.replicas` over from the
 * Deployment and refuses to share the workload with another autoscaler.
 */
export class PrometheusHpa extends Construct {
  constructor(scope: Construct, id: string, props: PrometheusHpaProps) {
    super(scope, id);
    v.props(this, props, 'PrometheusHpaProps');
    const svc = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service scaled');
    const minReplicas = props.minReplicas ?? 2;
    const maxReplicas = props.maxReplicas ?? Math.max(10, minReplicas);
    v.minMax(this, 'minReplicas', minReplicas, 'maxReplicas', maxReplicas);
    v.nonEmpty(this, 'metrics', props.metrics).forEach((m, i) => v.instance(this, `metrics[${i}]`, m, HpaMetric,
      'an HpaMetric: HpaMetric.pods(…), service, external, cpu or memory'));
    const adapter = v.isSet(props.adapter)
      ? v.instance(this, 'adapter', props.adapter, PrometheusAdapterRules, 'the app\'s PrometheusAdapterRules')
      : PrometheusAdapterRules.of(this);
    const metrics = props.metrics.map((m, i) => {
      const rendered = m.render(this, `metrics[${i}]`, svc.serviceName);
      if (m.prometheusMetric) adapter.use(m.prometheusMetric, this);
      return rendered;
    });
    svc.attachAutoscaler(this, { field: 'PrometheusHpa', kind: 'HorizontalPodAutoscaler', scaledResources: props.metrics.flatMap((m) => (m.resource ? [m.resource] : [])) });
    new KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: svc.deployment.name, labels: svc.serviceLabels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.deployment.name },
        minReplicas,
        maxReplicas,
        metrics,
        behavior: renderScalingBehavior(this, 'behavior', props.behavior),
      },
    });
  }
}
