import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { ServiceMonitoring } from '../observability/service-monitoring';
import { canaryQueriesForFlagger } from '../canary/controller-metrics';
import { ServiceIngress } from '../networking/service-ingress';
import { claimDeliveryEngine } from './delivery-engine';
import { HttpRouteOptions, renderHttpRoute, RouteMatch } from './http-route';
import { renderTrafficPolicy, TrafficPolicyOptions } from './traffic-policy';

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
  /**
   * Traffic provider Flagger shifts weights with: Istio (VirtualService/DestinationRule),
   * ingress-nginx (canary annotations on the service's Ingress, the chart's `ingress`) or the
   * Gateway API (HTTPRoute weights; `gateways` become its parentRefs). @default "istio"
   */
  readonly provider?: FlaggerProvider;
  /**
   * Judge the canary by the project's own error-ratio and P99 queries (the ones `npm run canary`
   * uses) as MetricTemplates against this Prometheus, instead of Flagger's built-in metrics; the
   * bounds are `minSuccessRate` and `maxRequestDurationMs`. @default Flagger's built-in metrics
   */
  readonly prometheus?: { readonly address: string };
  /** Further metrics, each rendered as a MetricTemplate on `prometheus` and checked at every step. @default none */
  readonly customMetrics?: FlaggerCustomMetric[];
  /** Manual gate before the rollout starts (a confirm-rollout webhook, e.g. flagger-loadtester's `/gate/check`). @default none */
  readonly confirmRollout?: FlaggerWebhook;
  /** Manual gate before promotion (a confirm-promotion webhook). @default none */
  readonly confirmPromotion?: FlaggerWebhook;
  /** Checks run before traffic is shifted (pre-rollout webhooks, e.g. acceptance tests); a failure counts against `threshold`. @default none */
  readonly preRollout?: FlaggerWebhook[];
  /** Alerts on the canary's events, each through an AlertProvider rendered next to the Canary. @default none */
  readonly alerts?: FlaggerAlert[];
  /**
   * Session affinity: a user who reached the canary keeps reaching it (a cookie set by the
   * proxy), so one session does not flip between versions. Istio and Gateway API only. @default none
   */
  readonly sessionAffinity?: { readonly cookieName: string; readonly maxAgeSeconds?: number };
}

/** Traffic providers supported by {@link FlaggerCanary}. */
export type FlaggerProvider = 'istio' | 'nginx' | 'gatewayapi:v1';

/** A Flagger webhook (a gate or a check). */
export interface FlaggerWebhook {
  /** The URL Flagger calls; a 200 answer opens the gate. */
  readonly url: string;
  /** Name in Flagger's events. @default the webhook type (and its index for pre-rollout checks) */
  readonly name?: string;
  /** Request timeout. @default "30s" */
  readonly timeout?: string;
  /** Key-value metadata sent with the call (e.g. `cmd` for flagger-loadtester). @default none */
  readonly metadata?: Record<string, string>;
}

/** A metric of the analysis defined by its own PromQL query. */
export interface FlaggerCustomMetric {
  /** Name of the metric (and of its MetricTemplate, prefixed with the service). Lower-case DNS label. */
  readonly name: string;
  /** PromQL query returning one number; may use Flagger's `{{ namespace }}`, `{{ target }}`, `{{ interval }}`. */
  readonly query: string;
  /** Lowest accepted value. @default none */
  readonly min?: number;
  /** Highest accepted value. @default none */
  readonly max?: number;
  /** Query interval. @default metricsInterval */
  readonly interval?: string;
}

/** An alert on the canary's events. */
export interface FlaggerAlert {
  /** Alert name. @default the provider type */
  readonly name?: string;
  /** Lowest severity of the events sent. @default "info" */
  readonly severity?: 'info' | 'warn' | 'error';
  /** The chat service. */
  readonly type: 'slack' | 'msteams' | 'discord' | 'rocket' | 'gchat';
  /** Secret holding the webhook URL under the key `address` (the URL carries a token: never in the manifests). */
  readonly addressSecret: string;
  /** Channel. @default the webhook's */
  readonly channel?: string;
  /** Bot user name. @default "flagger" */
  readonly username?: string;
}

/** Props of {@link FlaggerCanary}. */
export interface FlaggerCanaryProps extends FlaggerOptions {
  /** The service (its stable Deployment is Flagger's target). */
  readonly service: MicroserviceChart;
  /** Gateways the generated VirtualService binds to. @default mesh only */
  readonly gateways?: string[];
  /** Public hosts of the generated VirtualService. @default none */
  readonly hosts?: string[];
  /** Timeout, retries and path rewrite of the service's route, carried into the Canary's `service` block (Istio). @default none */
  readonly defaultRoute?: Omit<HttpRouteOptions, 'destinations' | 'match' | 'name'>;
  /** Load balancing, connection pool, outlier detection and TLS of the service, carried into `service.trafficPolicy` (Istio). @default none */
  readonly trafficPolicy?: TrafficPolicyOptions;
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
    claimDeliveryEngine(this, svc, 'Flagger');
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
    const provider = v.oneOf(this, 'provider', props.provider ?? 'istio', ['istio', 'nginx', 'gatewayapi:v1'] as const);
    const gateways = v.optionalList(this, 'gateways', props.gateways);
    gateways.forEach((g, i) => {
      if (typeof g !== 'string' || !/^([a-z0-9-]+\/)?[a-z0-9-]+$/.test(g) || g === 'mesh') fail(this, `gateways[${i}]`, g, 'a gateway as "namespace/name" or "name"');
    });
    const hosts = v.optionalList(this, 'hosts', props.hosts);
    hosts.forEach((h, i) => v.hostName(this, `hosts[${i}]`, h));
    const istioOnly = (field: string, value: unknown) => {
      if (v.isSet(value) && provider !== 'istio') fail(this, field, value, `nothing with provider "${provider}": it is an Istio setting (provider "istio")`);
    };
    istioOnly('trafficPolicy', props.trafficPolicy);
    istioOnly('defaultRoute', props.defaultRoute);
    if (provider === 'nginx') {
      for (const [field, value] of [['gateways', props.gateways], ['hosts', props.hosts], ['mirror', props.mirror], ['sessionAffinity', props.sessionAffinity]] as const) {
        if (v.isSet(value) && value !== false) fail(this, field, value, 'nothing with provider "nginx": ingress-nginx has no gateways, mirroring or session affinity (use provider "istio" or "gatewayapi:v1")');
      }
    }
    const route = this.serviceRoute(svc.serviceName, props.defaultRoute);
    const trafficPolicy = renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy);
    const ingressRef = provider === 'nginx' ? this.ingressRef(svc) : undefined;

    const metrics = this.metrics(svc, props, minSuccessRate, maxDuration, metricsInterval);
    const gates = [
      ...webhook(this, 'confirmRollout', props.confirmRollout, 'confirm-rollout'),
      ...v.optionalList(this, 'preRollout', props.preRollout).flatMap((w, i) => webhook(this, `preRollout[${i}]`,
        v.object(this, `preRollout[${i}]`, w, 'a FlaggerWebhook { url, name?, timeout?, metadata? }'), 'pre-rollout', `pre-rollout-${i + 1}`)),
      ...webhook(this, 'confirmPromotion', props.confirmPromotion, 'confirm-promotion'),
    ];
    v.unique(this, 'webhook names', [...gates, ...(webhooks ?? [])].map((w) => w.name));
    const alerts = this.alerts(svc, props.alerts);
    const affinity = v.optionalObject(this, 'sessionAffinity', props.sessionAffinity, 'an object { cookieName, maxAgeSeconds? }');
    const sessionAffinity = affinity && {
      cookieName: v.text(this, 'sessionAffinity.cookieName', affinity.cookieName, 'a cookie name such as "flagger-cookie"'),
      maxAge: v.isSet(affinity.maxAgeSeconds) ? v.integer(this, 'sessionAffinity.maxAgeSeconds', affinity.maxAgeSeconds, 1, 31_536_000) : undefined,
    };
    if (sessionAffinity && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(sessionAffinity.cookieName)) fail(this, 'sessionAffinity.cookieName', affinity!.cookieName, 'a cookie name (RFC 6265 token characters)');

    svc.handOverService(this);
    svc.handOverWorkload(this);
    const gatewayRefs = provider === 'gatewayapi:v1'
      ? gateways.map((g) => (g.includes('/') ? { name: g.split('/')[1], namespace: g.split('/')[0] } : { name: g }))
      : undefined;
    if (provider === 'gatewayapi:v1' && gateways.length === 0) fail(this, 'gateways', props.gateways, 'with provider "gatewayapi:v1", at least one Gateway ("namespace/name") the HTTPRoute attaches to');
    new ApiObject(this, 'Resource', {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: svc.serviceName, labels: svc.serviceLabels },
      spec: {
        provider,
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.deployment.name },
        autoscalerRef: svc.autoscalerRef,
        ingressRef,
        progressDeadlineSeconds: v.integer(this, 'progressDeadlineSeconds', props.progressDeadlineSeconds ?? 600, 1, 86_400),
        service: {
          name: svc.serviceName,
          port: svc.servicePort,
          targetPort: svc.containerPort,
          portName: 'http',
          gateways: provider === 'istio' && gateways.length > 0 ? ['mesh', ...gateways] : undefined,
          gatewayRefs,
          hosts: hosts.length > 0 ? (provider === 'istio' ? [svc.serviceName, ...hosts] : hosts) : undefined,
          timeout: route?.timeout,
          retries: route?.retries,
          rewrite: route?.rewrite,
          trafficPolicy,
        },
        analysis: {
          interval,
          threshold,
          ...weights,
          match: props.match,
          mirror,
          mirrorWeight: mirror ? (props.mirrorWeight ?? 100) : undefined,
          sessionAffinity,
          metrics,
          alerts,
          webhooks: gates.length > 0 || webhooks ? [...gates, ...(webhooks ?? [])] : undefined,
        },
      },
    });
  }

  /** Timeout, retries and rewrite of the service's route, validated as any route is. */
  private serviceRoute(host: string, defaultRoute: FlaggerCanaryProps['defaultRoute']) {
    const options = v.optionalObject(this, 'defaultRoute', defaultRoute, 'an object { timeout?, retries?, rewriteUri? }');
    if (!options) return undefined;
    for (const field of ['destinations', 'match', 'name', 'fault', 'mirror'] as const) {
      const value = (options as HttpRouteOptions)[field];
      if (v.isSet(value)) fail(this, `defaultRoute.${field}`, value, 'timeout, retries and rewriteUri only: Flagger generates the routes (fault injection and mirroring are not part of its service block)');
    }
    const rendered = renderHttpRoute(this, 'defaultRoute', { ...options, name: 'default' }, host, ['primary'], 'primary');
    return { timeout: rendered.timeout, retries: rendered.retries, rewrite: rendered.rewrite };
  }

  /** The Ingress ingress-nginx canaries are derived from: the chart's own. */
  private ingressRef(svc: MicroserviceChart) {
    const ingress = svc.node.tryFindChild('Ingress');
    if (!(ingress instanceof ServiceIngress)) fail(this, 'provider', 'nginx', `"nginx" only for a service with an Ingress (the chart's ingress prop); ${svc.serviceName} has none`);
    const resource = ingress.node.children.find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Ingress');
    return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: resource!.name };
  }

  /** Built-in metrics, or the project's own queries as MetricTemplates, plus custom metrics. */
  private metrics(svc: MicroserviceChart, props: FlaggerCanaryProps, minSuccessRate: number, maxDuration: number, metricsInterval: string) {
    const prometheus = v.optionalObject(this, 'prometheus', props.prometheus, 'an object { address }');
    const address = prometheus ? httpUrl(this, 'prometheus.address', prometheus.address) : undefined;
    const custom = v.optionalList(this, 'customMetrics', props.customMetrics);
    if (custom.length > 0 && !address) fail(this, 'customMetrics', custom.map((m) => m?.name), 'custom metrics together with prometheus: { address } (their MetricTemplates query it)');
    const template = (name: string, query: string) => {
      new ApiObject(this, `MetricTemplate-${name}`, {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'MetricTemplate',
        metadata: { name: `${svc.serviceName}-${name}`, labels: svc.serviceLabels },
        spec: { provider: { type: 'prometheus', address }, query },
      });
      return { name: `${svc.serviceName}-${name}` };
    };
    const metrics: any[] = [];
    if (address) {
      const q = canaryQueriesForFlagger();
      // The same bounds as the built-in metrics, in the queries' units (a ratio, milliseconds).
      metrics.push(
        { name: 'error-ratio', templateRef: template('error-ratio', q.errorRatio), thresholdRange: { max: round((100 - minSuccessRate) / 100) }, interval: metricsInterval },
        { name: 'latency-p99', templateRef: template('latency-p99', q.p99Ms), thresholdRange: { max: maxDuration }, interval: metricsInterval },
      );
    } else {
      metrics.push(
        { name: 'request-success-rate', thresholdRange: { min: minSuccessRate }, interval: metricsInterval },
        { name: 'request-duration', thresholdRange: { max: maxDuration }, interval: metricsInterval },
      );
    }
    custom.forEach((m, i) => {
      const f = `customMetrics[${i}]`;
      v.object(this, f, m, 'a FlaggerCustomMetric { name, query, min?, max?, interval? }');
      const name = v.dnsLabel(this, `${f}.name`, m.name);
      if (['error-ratio', 'latency-p99', 'request-success-rate', 'request-duration'].includes(name)) fail(this, `${f}.name`, name, 'a name other than the built-in metrics\' (error-ratio, latency-p99, request-success-rate, request-duration)');
      const query = v.text(this, `${f}.query`, m.query, 'a PromQL query');
      const min = v.isSet(m.min) ? v.number(this, `${f}.min`, m.min, -Number.MAX_VALUE, Number.MAX_VALUE) : undefined;
      const max = v.isSet(m.max) ? v.number(this, `${f}.max`, m.max, -Number.MAX_VALUE, Number.MAX_VALUE) : undefined;
      if (min === undefined && max === undefined) fail(this, f, name, 'a metric with a bound: min, max or both');
      if (min !== undefined && max !== undefined && min > max) fail(this, `${f}.min`, min, `a minimum not above max (${max})`);
      const interval = v.isSet(m.interval) ? flaggerDuration(this, `${f}.interval`, m.interval) : metricsInterval;
      metrics.push({ name, templateRef: template(name, query), thresholdRange: { min, max }, interval });
    });
    v.unique(this, 'customMetrics (names)', custom.map((m) => m.name));
    return metrics;
  }

  /** Alerts, each with its AlertProvider (address from a Secret). */
  private alerts(svc: MicroserviceChart, alerts: readonly FlaggerAlert[] | undefined) {
    const list = v.optionalList(this, 'alerts', alerts);
    if (list.length === 0) return undefined;
    const rendered = list.map((a, i) => {
      const f = `alerts[${i}]`;
      v.object(this, f, a, 'a FlaggerAlert { type, addressSecret, channel?, severity? }');
      const type = v.oneOf(this, `${f}.type`, a.type, ['slack', 'msteams', 'discord', 'rocket', 'gchat'] as const);
      const provider = `${svc.serviceName}-${type}${list.filter((x) => x.type === type).length > 1 ? `-${i + 1}` : ''}`;
      new ApiObject(this, `AlertProvider-${i}`, {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'AlertProvider',
        metadata: { name: provider, labels: svc.serviceLabels },
        spec: {
          type,
          channel: v.optionalText(this, `${f}.channel`, a.channel),
          username: v.optionalText(this, `${f}.username`, a.username) ?? 'flagger',
          secretRef: { name: v.dnsSubdomain(this, `${f}.addressSecret`, a.addressSecret) },
        },
      });
      return {
        name: v.optionalText(this, `${f}.name`, a.name) ?? type,
        severity: v.oneOf(this, `${f}.severity`, a.severity ?? 'info', ['info', 'warn', 'error'] as const),
        providerRef: { name: provider },
      };
    });
    v.unique(this, 'alerts (names)', rendered.map((a) => a.name));
    return rendered;
  }
}

function webhook(scope: Construct, field: string, hook: FlaggerWebhook | undefined, type: string, defaultName = type): any[] {
  const w = v.optionalObject(scope, field, hook, 'a FlaggerWebhook { url, name?, timeout?, metadata? }');
  if (!w) return [];
  return [{
    name: v.optionalText(scope, `${field}.name`, w.name) ?? defaultName,
    type,
    url: httpUrl(scope, `${field}.url`, w.url),
    timeout: flaggerDuration(scope, `${field}.timeout`, w.timeout ?? '30s'),
    metadata: v.isSet(w.metadata) ? v.stringMap(scope, `${field}.metadata`, w.metadata) : undefined,
  }];
}

/** Flagger's webhook and metric durations: whole seconds or minutes ("30s", "1m"). */
function flaggerDuration(scope: Construct, field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[1-9][0-9]*(m|s)$/.test(value)) fail(scope, field, value, 'a duration in whole seconds or minutes, such as "30s" or "2m"');
  return value;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function httpUrl(scope: Construct, field: string, value: string): string {
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) fail(scope, field, value, 'an http(s):// URL');
  return value;
}
