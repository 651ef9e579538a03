import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import type { MicroserviceChart } from '../microservice/microservice-chart';
import { RouteMatch } from './http-route';

/** Progressive delivery by Flagger: it shifts the weights itself, judging Istio metrics in the cluster. */
export interface FlaggerOptions {
  /** Time between analysis steps. @default "1m" */
  readonly interval?: string;
  /** Failed checks before Flagger rolls back. @default 5 */
  readonly threshold?: number;
  /** Highest canary weight before promotion (percent). @default 50 */
  readonly maxWeight?: number;
  /** Weight added per step; maxWeight must be a multiple of it. @default 10 (unless stepWeights) */
  readonly stepWeight?: number;
  /** Explicit ascending steps instead of stepWeight, e.g. [5, 20, 50]. @default none */
  readonly stepWeights?: number[];
  /** A/B testing: route only matching requests (headers, cookies) to the canary for `iterations` steps. @default none */
  readonly match?: RouteMatch[];
  /** Steps of an A/B or mirroring analysis. @default none */
  readonly iterations?: number;
  /** Mirror traffic to the canary during the analysis (blue/green with shadow traffic). @default false */
  readonly mirror?: boolean;
  /** Percent of traffic mirrored. @default 100 when mirror */
  readonly mirrorWeight?: number;
  /** Lowest acceptable request success rate, percent (built-in `request-success-rate`). @default 99 */
  readonly minSuccessRate?: number;
  /** Highest acceptable P99 request duration in ms (built-in `request-duration`). @default 500 */
  readonly maxRequestDurationMs?: number;
  /** Interval of the metric queries. @default "1m" */
  readonly metricsInterval?: string;
  /** A load-test webhook (flagger-loadtester) run at every step. @default none */
  readonly loadTest?: { readonly url: string; readonly cmd: string; readonly timeout?: string };
  /** Seconds before a stuck canary is rolled back. @default 600 */
  readonly progressDeadlineSeconds?: number;
}

/** Props of {@link FlaggerCanary}. */
export interface FlaggerCanaryProps extends FlaggerOptions {
  /** The service (its stable Deployment is Flagger's target). */
  readonly service: MicroserviceChart;
  /** Gateways the generated VirtualService binds to. @default mesh only */
  readonly gateways?: string[];
  /** Public hosts of the generated VirtualService. @default none */
  readonly hosts?: string[];
}

/**
 * A Flagger `Canary` (flagger.app/v1beta1). Flagger then owns the service's VirtualService,
 * DestinationRule and ClusterIP Services and moves the weights itself, so no static route may
 * exist for the host and the chart hands its Service over.
 */
export class FlaggerCanary extends Construct {
  constructor(scope: Construct, id: string, props: FlaggerCanaryProps) {
    super(scope, id);
    const svc = props.service;
    if (svc.canaryDeployment) fail(this, 'service', svc.serviceName, 'a service without its own canary track: Flagger creates the primary and canary workloads');
    const threshold = v.integer(this, 'threshold', props.threshold ?? 5, 1, 100);
    const interval = v.duration(this, 'interval', props.interval ?? '1m', 1000);
    const metricsInterval = v.duration(this, 'metricsInterval', props.metricsInterval ?? '1m', 1000);
    const minSuccessRate = v.percentage(this, 'minSuccessRate', props.minSuccessRate ?? 99, true);
    const maxDuration = props.maxRequestDurationMs ?? 500;
    if (!(maxDuration > 0)) fail(this, 'maxRequestDurationMs', maxDuration, 'a positive number of milliseconds');

    const abTesting = props.match !== undefined;
    let weights: Record<string, unknown> = {};
    if (abTesting || props.mirror) {
      if (props.stepWeight !== undefined || props.stepWeights !== undefined || props.maxWeight !== undefined) {
        if (abTesting) fail(this, 'match', props.match, 'A/B testing (match) without weights: matching requests go to the canary for `iterations` steps');
      }
      if (abTesting) {
        v.nonEmpty(this, 'match', props.match);
        weights.iterations = v.integer(this, 'iterations', props.iterations, 1, 1000);
      }
    }
    if (!abTesting) {
      if (props.stepWeights !== undefined) {
        if (props.stepWeight !== undefined) fail(this, 'stepWeight', props.stepWeight, 'either stepWeight or stepWeights, not both');
        v.nonEmpty(this, 'stepWeights', props.stepWeights).forEach((w, i) => {
          v.integer(this, `stepWeights[${i}]`, w, 1, 100);
          if (i > 0 && w <= props.stepWeights![i - 1]) fail(this, `stepWeights[${i}]`, w, `a weight above the previous step (${props.stepWeights![i - 1]})`);
        });
        weights = { stepWeights: props.stepWeights, maxWeight: props.maxWeight === undefined ? undefined : v.integer(this, 'maxWeight', props.maxWeight, 1, 100) };
      } else if (props.iterations === undefined || props.stepWeight !== undefined || props.maxWeight !== undefined) {
        const step = v.integer(this, 'stepWeight', props.stepWeight ?? 10, 1, 100);
        const max = v.integer(this, 'maxWeight', props.maxWeight ?? 50, 1, 100);
        if (max % step !== 0) fail(this, 'maxWeight', max, `a multiple of stepWeight (${step})`);
        weights = { stepWeight: step, maxWeight: max };
      } else {
        weights = { iterations: v.integer(this, 'iterations', props.iterations, 1, 1000) };
      }
    }
    if (props.mirrorWeight !== undefined) {
      if (!props.mirror) fail(this, 'mirrorWeight', props.mirrorWeight, 'a mirror weight only with mirror: true');
      v.percentage(this, 'mirrorWeight', props.mirrorWeight);
    }
    const webhooks = props.loadTest ? [{
      name: 'load-test',
      url: httpUrl(this, 'loadTest.url', props.loadTest.url),
      timeout: v.duration(this, 'loadTest.timeout', props.loadTest.timeout ?? '5s'),
      metadata: { cmd: props.loadTest.cmd },
    }] : undefined;
    (props.hosts ?? []).forEach((h, i) => v.hostName(this, `hosts[${i}]`, h));

    svc.handOverService(this);
    svc.handOverWorkload(this);
    new ApiObject(this, 'Resource', {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: svc.serviceName, labels: svc.serviceLabels },
      spec: {
        provider: 'istio',
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.deployment.name },
        autoscalerRef: svc.autoscalerRef,
        progressDeadlineSeconds: v.integer(this, 'progressDeadlineSeconds', props.progressDeadlineSeconds ?? 600, 1, 86_400),
        service: {
          name: svc.serviceName,
          port: svc.servicePort,
          targetPort: svc.containerPort,
          portName: 'http',
          gateways: props.gateways && props.gateways.length > 0 ? ['mesh', ...props.gateways] : undefined,
          hosts: props.hosts && props.hosts.length > 0 ? [svc.serviceName, ...props.hosts] : undefined,
        },
        analysis: {
          interval,
          threshold,
          ...weights,
          match: props.match,
          mirror: props.mirror,
          mirrorWeight: props.mirror ? (props.mirrorWeight ?? 100) : undefined,
          metrics: [
            { name: 'request-success-rate', thresholdRange: { min: minSuccessRate }, interval: metricsInterval },
            { name: 'request-duration', thresholdRange: { max: maxDuration }, interval: metricsInterval },
          ],
          webhooks,
        },
      },
    });
  }
}

function httpUrl(scope: Construct, field: string, value: string): string {
  if (!/^https?:\/\/\S+$/.test(value)) fail(scope, field, value, 'an http(s):// URL');
  return value;
}
