import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { ServiceMonitoring } from '../observability/service-monitoring';
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
  /** Lowest acceptable request success rate, percent (built-in `request-success-rate`). @default from the service's availability SLO (100 × (1 − budget × canaryBurnRate)), else 99 */
  readonly minSuccessRate?: number;
  /** Highest acceptable P99 request duration in ms (built-in `request-duration`). @default the service's latency SLO threshold, else 500 */
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
    v.props(this, props, 'FlaggerCanaryProps');
    const svc = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service');
    if (svc.tracks.length > 1) fail(this, 'service', svc.serviceName, 'a service without its own canary track (nor additional tracks): Flagger creates the primary and canary workloads');
    const threshold = v.integer(this, 'threshold', props.threshold ?? 5, 1, 100);
    const interval = v.duration(this, 'interval', props.interval ?? '1m', 1000);
    const metricsInterval = v.duration(this, 'metricsInterval', props.metricsInterval ?? '1m', 1000);
    // Defaults from the service's SLOs when it has them (monitoring.slo), else seed 004's 99 % / 500 ms.
    const sloGate = ServiceMonitoring.of(svc)?.canaryGate ?? {};
    const minSuccessRate = v.percentage(this, 'minSuccessRate', props.minSuccessRate ?? sloGate.minSuccessRate ?? 99, true);
    const maxDuration = props.maxRequestDurationMs ?? sloGate.maxRequestDurationMs ?? 500;
    if (typeof maxDuration !== 'number' || !(maxDuration > 0) || !Number.isFinite(maxDuration)) fail(this, 'maxRequestDurationMs', maxDuration, 'a positive number of milliseconds');

    const abTesting = v.isSet(props.match);
    const mirror = v.optionalBoolean(this, 'mirror', props.mirror);
    let weights: Record<string, unknown> = {};
    if (abTesting || mirror) {
      if (v.isSet(props.stepWeight) || v.isSet(props.stepWeights) || v.isSet(props.maxWeight)) {
        if (abTesting) fail(this, 'match', props.match, 'A/B testing (match) without weights: matching requests go to the canary for `iterations` steps');
      }
      if (abTesting) {
        v.nonEmpty(this, 'match', props.match).forEach((m, i) => {
          v.object(this, `match[${i}]`, m, 'a RouteMatch, e.g. Match.header("x-canary", "insider")');
          for (const key of ['headers', 'queryParams'] as const) {
            Object.entries(v.optionalObject(this, `match[${i}].${key}`, m[key], 'a map of names to string matches') ?? {})
              .forEach(([name, sm]) => v.object(this, `match[${i}].${key}.${name}`, sm, 'a string match: { exact }, { prefix } or { regex }'));
          }
          for (const key of ['uri', 'method'] as const) v.optionalObject(this, `match[${i}].${key}`, m[key], 'a string match: { exact }, { prefix } or { regex }');
        });
        weights.iterations = v.integer(this, 'iterations', props.iterations, 1, 1000);
      }
    }
    if (!abTesting) {
      if (v.isSet(props.stepWeights)) {
        if (v.isSet(props.stepWeight)) fail(this, 'stepWeight', props.stepWeight, 'either stepWeight or stepWeights, not both');
        v.nonEmpty(this, 'stepWeights', props.stepWeights).forEach((w, i) => {
          v.integer(this, `stepWeights[${i}]`, w, 1, 100);
          if (i > 0 && w <= props.stepWeights![i - 1]) fail(this, `stepWeights[${i}]`, w, `a weight above the previous step (${props.stepWeights![i - 1]})`);
        });
        weights = { stepWeights: props.stepWeights, maxWeight: v.isSet(props.maxWeight) ? v.integer(this, 'maxWeight', props.maxWeight, 1, 100) : undefined };
      } else if (!v.isSet(props.iterations) || v.isSet(props.stepWeight) || v.isSet(props.maxWeight)) {
        const step = v.integer(this, 'stepWeight', props.stepWeight ?? 10, 1, 100);
        const max = v.integer(this, 'maxWeight', props.maxWeight ?? 50, 1, 100);
        if (max % step !== 0) fail(this, 'maxWeight', max, `a multiple of stepWeight (${step})`);
        weights = { stepWeight: step, maxWeight: max };
      } else {
        weights = { iterations: v.integer(this, 'iterations', props.iterations, 1, 1000) };
      }
    }
    if (v.isSet(props.mirrorWeight)) {
      if (!mirror) fail(this, 'mirrorWeight', props.mirrorWeight, 'a mirror weight only with mirror: true');
      v.percentage(this, 'mirrorWeight', props.mirrorWeight);
    }
    const loadTest = v.optionalObject(this, 'loadTest', props.loadTest, 'an object { url, cmd, timeout? }');
    const webhooks = loadTest ? [{
      name: 'load-test',
      url: httpUrl(this, 'loadTest.url', loadTest.url),
      timeout: v.duration(this, 'loadTest.timeout', loadTest.timeout ?? '5s'),
      metadata: { cmd: v.text(this, 'loadTest.cmd', loadTest.cmd, 'the load-test command') },
    }] : undefined;
    const gateways = v.optionalList(this, 'gateways', props.gateways);
    gateways.forEach((g, i) => v.text(this, `gateways[${i}]`, g, 'a gateway as "namespace/name" or "name"'));
    const hosts = v.optionalList(this, 'hosts', props.hosts);
    hosts.forEach((h, i) => v.hostName(this, `hosts[${i}]`, h));

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
          gateways: gateways.length > 0 ? ['mesh', ...gateways] : undefined,
          hosts: hosts.length > 0 ? [svc.serviceName, ...hosts] : undefined,
        },
        analysis: {
          interval,
          threshold,
          ...weights,
          match: props.match,
          mirror,
          mirrorWeight: mirror ? (props.mirrorWeight ?? 100) : undefined,
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
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) fail(scope, field, value, 'an http(s):// URL');
  return value;
}
