import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { resolveThresholds } from '../canary/canary-analysis';
import { canaryQueriesForArgoRollouts } from '../canary/controller-metrics';
import { CustomKinds } from '../core/custom-kinds';
import { fail, validateAtSynthesis } from '../core/errors';
import { ArgoCdIgnoreDifference } from '../gitops/argocd-application';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { ServiceMonitoring } from '../observability/service-monitoring';
import { CanaryRoute, IstioApiVersion } from './canary-route';
import { claimHost } from './host-claims';
import { claimDeliveryEngine } from './delivery-engine';
import { HttpRouteOptions, renderHttpRoute } from './http-route';
import { renderTrafficPolicy, TrafficPolicyOptions } from './traffic-policy';

/** One step of an Argo Rollouts canary. */
export type RolloutStep =
  | { readonly setWeight: number }
  | { readonly pause: string }
  | { readonly analysis: true };

/** Factories of {@link RolloutStep}s. */
export const RolloutStep = {
  /** Send `percent` of the traffic to the canary. */
  setWeight: (percent: number): RolloutStep => ({ setWeight: percent }),
  /** Wait `duration` ("30s", "5m", "1h"), or until promoted by hand (`kubectl argo rollouts promote`) when omitted. */
  pause: (duration = 'manual'): RolloutStep => ({ pause: duration }),
  /** Measure the canary with the AnalysisTemplate (error ratio and P99); a failure aborts the rollout. */
  analysis: (): RolloutStep => ({ analysis: true }),
};

/** Measuring the canary: the project's error-ratio and P99 queries against Prometheus. */
export interface RolloutAnalysisOptions {
  /** Prometheus the AnalysisTemplate queries, e.g. "http://prometheus.monitoring:9090". */
  readonly prometheusAddress: string;
  /** Highest acceptable share of 5xx responses, 0–1. @default the service's SLO gate (monitoring.slo), else 0.01 */
  readonly maxErrorRate?: number;
  /** Highest acceptable P99 latency in milliseconds. @default the service's SLO latency threshold, else 500 */
  readonly maxP99Ms?: number;
  /** Range the rates are computed over. @default "5m" */
  readonly window?: string;
}

/** Blue/green settings. */
export interface RolloutBlueGreenOptions {
  /** Promote automatically this many seconds after the preview is ready. @default manual promotion */
  readonly autoPromotionSeconds?: number;
  /** Seconds the old version keeps running after the switch (fast rollback). @default 30 */
  readonly scaleDownDelaySeconds?: number;
  /** Run the analysis against the preview Service before promotion. @default true when analysis is set */
  readonly prePromotionAnalysis?: boolean;
  /** Run the analysis against the active Service after promotion (rolls back on failure). @default false */
  readonly postPromotionAnalysis?: boolean;
}

/** How Argo Rollouts delivers a service. */
export interface ArgoRolloutOptions {
  /** Canary (weights over the Istio subsets `stable`/`canary`) or blue/green (active and preview Services). @default "canary" */
  readonly strategy?: 'canary' | 'blueGreen';
  /**
   * Canary steps. @default seed 004's canary-deploy.sh: 5 → 20 → 50 %, each held 5 minutes and
   * then measured (the measurement only with `analysis`); full promotion after the last step
   */
  readonly steps?: RolloutStep[];
  /** Measure the canary (analysis steps, blue/green pre/post-promotion analysis). @default no measurement */
  readonly analysis?: RolloutAnalysisOptions;
  /** Blue/green settings. @default manual promotion */
  readonly blueGreen?: RolloutBlueGreenOptions;
  /**
   * How the referenced Deployment is scaled down once the Rollout runs its pods (Rollouts'
   * migration path, `workloadRef.scaleDown`): `progressively` as the Rollout scales up (no
   * downtime), `onsuccess` once the Rollout is healthy, `never`. @default "progressively"
   */
  readonly scaleDown?: 'progressively' | 'onsuccess' | 'never';
  /** Seconds before a rollout that makes no progress is reported degraded. @default 600 */
  readonly progressDeadlineSeconds?: number;
}

/** Props of {@link ArgoRollout}. */
export interface ArgoRolloutProps extends ArgoRolloutOptions {
  /** The service; its Deployment becomes the Rollout's template (`workloadRef`). */
  readonly service: MicroserviceChart;
  /** Gateways (`namespace/name`) the VirtualService also binds to. @default mesh only */
  readonly gateways?: string[];
  /** Public host names of the VirtualService. @default none */
  readonly publicHosts?: string[];
  /** Timeout and retries of the service's route (the one Argo Rollouts shifts). @default none */
  readonly defaultRoute?: Omit<HttpRouteOptions, 'destinations' | 'match' | 'name'>;
  /** Traffic policy of the service (DestinationRule). @default none */
  readonly trafficPolicy?: TrafficPolicyOptions;
  /** @default "v1" */
  readonly istioApiVersion?: IstioApiVersion;
}

/** Subset and route names Argo Rollouts is told to manage. */
const STABLE_SUBSET = 'stable';
const CANARY_SUBSET = 'canary';
const ROUTE = 'primary';
const ROLLOUT_REF = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };

/**
 * Argo Rollouts as the service's delivery engine: a `Rollout` that takes its pod template from
 * the service's Deployment (`workloadRef`, Rollouts' migration path: the Deployment is scaled
 * down by Rollouts, its autoscaler retargeted to the Rollout), with either a canary over the
 * Istio subsets `stable`/`canary` of the service's DestinationRule and the weights of its
 * VirtualService route `primary`, or blue/green with the service's Service as the active one
 * and `<service>-preview`. With `analysis`, an `AnalysisTemplate` measures the new version with
 * the same error-ratio and P99 queries as `npm run canary`.
 *
 * Argo Rollouts rewrites the route weights, the subsets' and Services' selectors and the
 * Deployment's replicas in the cluster: the Argo CD Application should ignore those fields.
 */
export class ArgoRollout extends Construct {
  /** The AnalysisTemplate's name, when there is one. */
  public readonly analysisTemplateName?: string;
  /**
   * The fields Argo Rollouts changes in the cluster (route weights, the pod-template hash in
   * subset and Service selectors, the Deployment's replicas): give them to the environment's
   * {@link ArgoCdApplication} (`ignoreDifferences`), so that Argo CD's self-heal does not undo
   * the rollout's steps.
   */
  public readonly argoCdIgnoreDifferences: ArgoCdIgnoreDifference[];

  constructor(scope: Construct, id: string, props: ArgoRolloutProps) {
    super(scope, id);
    v.props(this, props, 'ArgoRolloutProps');
    const svc = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service');
    if (svc.canaryDeployment) fail(this, 'service', svc.serviceName, 'a service without its own canary track: Argo Rollouts runs the stable and the canary pods itself');
    claimDeliveryEngine(this, svc, 'Argo Rollouts');
    const strategy = v.oneOf(this, 'strategy', props.strategy ?? 'canary', ['canary', 'blueGreen'] as const);
    const scaleDown = v.oneOf(this, 'scaleDown', props.scaleDown ?? 'progressively', ['progressively', 'onsuccess', 'never'] as const);
    const apiVersion = v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const);
    const host = svc.serviceName;
    const clusterHost = `${host}.${svc.namespace}.svc.cluster.local`;

    // The Deployment as rendered now: its selector, its pods' image tag (Istio's version of the
    // canary) and its replica count, which the Rollout takes over.
    const deployment = svc.deployment.resource.toJson();
    const selector = deployment.spec.selector.matchLabels;
    const imageTag: string | undefined = deployment.spec.template.metadata?.labels?.['app.kubernetes.io/version'];

    const analysis = v.optionalObject(this, 'analysis', props.analysis, 'an object { prometheusAddress, maxErrorRate?, maxP99Ms?, window? }');
    let templateRef: { templateName: string } | undefined;
    if (analysis) {
      if (!imageTag) fail(this, 'service', svc.serviceName, 'a service whose image has a tag: the analysis tells the new pods apart by their app.kubernetes.io/version label (the tag)');
      templateRef = { templateName: this.analysisTemplate(svc, analysis) };
      this.analysisTemplateName = templateRef.templateName;
    }
    const analysisStep = (service: string) => templateRef && {
      templates: [templateRef],
      args: [{ name: 'service', value: service }, { name: 'canary-version', value: imageTag! }],
    };

    let strategySpec: Record<string, unknown>;
    if (strategy === 'canary') {
      if (v.isSet(props.blueGreen)) fail(this, 'blueGreen', props.blueGreen, 'blue/green settings only with strategy "blueGreen"');
      strategySpec = {
        canary: {
          trafficRouting: {
            istio: {
              virtualService: { name: host, routes: [ROUTE] },
              destinationRule: { name: host, canarySubsetName: CANARY_SUBSET, stableSubsetName: STABLE_SUBSET },
            },
          },
          steps: this.steps(props.steps, analysisStep(clusterHost)),
        },
      };
    } else {
      if (v.isSet(props.steps)) fail(this, 'steps', props.steps, 'steps only with strategy "canary" (blue/green switches at promotion)');
      const bg = v.optionalObject(this, 'blueGreen', props.blueGreen, 'an object of RolloutBlueGreenOptions') ?? {};
      const pre = v.optionalBoolean(this, 'blueGreen.prePromotionAnalysis', bg.prePromotionAnalysis) ?? templateRef !== undefined;
      const post = v.optionalBoolean(this, 'blueGreen.postPromotionAnalysis', bg.postPromotionAnalysis) ?? false;
      if ((pre || post) && !templateRef) fail(this, pre ? 'blueGreen.prePromotionAnalysis' : 'blueGreen.postPromotionAnalysis', true, 'an analysis only together with analysis: { prometheusAddress }');
      const previewName = `${host}-preview`;
      svc.addTrackService('RolloutPreviewService', previewName, svc.tracks[0].version);
      strategySpec = {
        blueGreen: {
          activeService: host,
          previewService: previewName,
          autoPromotionEnabled: v.isSet(bg.autoPromotionSeconds),
          autoPromotionSeconds: v.isSet(bg.autoPromotionSeconds) ? v.integer(this, 'blueGreen.autoPromotionSeconds', bg.autoPromotionSeconds, 1, 86_400) : undefined,
          scaleDownDelaySeconds: v.integer(this, 'blueGreen.scaleDownDelaySeconds', bg.scaleDownDelaySeconds ?? 30, 0, 86_400),
          prePromotionAnalysis: pre ? analysisStep(`${previewName}.${svc.namespace}.svc.cluster.local`) : undefined,
          postPromotionAnalysis: post ? analysisStep(clusterHost) : undefined,
        },
      };
    }

    this.routes(svc, props, strategy, apiVersion, scope);
    const ns = svc.namespace;
    const hash = '"rollouts-pod-template-hash"';
    this.argoCdIgnoreDifferences = [
      { group: 'apps', kind: 'Deployment', name: svc.deployment.name, namespace: ns, jsonPointers: ['/spec/replicas'] },
      ...(strategy === 'canary' ? [
        { group: 'networking.istio.io', kind: 'VirtualService', name: host, namespace: ns, jqPathExpressions: ['.spec.http[].route[].weight'] },
        { group: 'networking.istio.io', kind: 'DestinationRule', name: host, namespace: ns, jqPathExpressions: [`.spec.subsets[].labels[${hash}]`] },
      ] : [host, `${host}-preview`].map((name) => ({ group: '', kind: 'Service', name, namespace: ns, jqPathExpressions: [`.spec.selector[${hash}]`] }))),
    ];
    const replicas = this.takeOverScaling(svc, deployment.spec.replicas);
    new ApiObject(this, 'Rollout', {
      ...ROLLOUT_REF,
      metadata: { name: svc.deployment.name, labels: svc.serviceLabels },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.deployment.name, scaleDown },
        progressDeadlineSeconds: v.integer(this, 'progressDeadlineSeconds', props.progressDeadlineSeconds ?? 600, 1, 86_400),
        strategy: strategySpec,
      },
    });
  }

  /** The AnalysisTemplate: the command's error-ratio and P99 queries with its bounds. Returns its name. */
  private analysisTemplate(svc: MicroserviceChart, analysis: RolloutAnalysisOptions): string {
    const address = v.text(this, 'analysis.prometheusAddress', analysis.prometheusAddress, 'an http(s):// URL of Prometheus');
    if (!/^https?:\/\/\S+$/.test(address)) fail(this, 'analysis.prometheusAddress', address, 'an http(s):// URL of Prometheus');
    let t: ReturnType<typeof resolveThresholds>;
    // Bounds not given come from the service's SLOs when it has them (monitoring.slo), as for Flagger and the canary command.
    const sloGate = ServiceMonitoring.of(svc)?.canaryGate ?? {};
    try {
      t = resolveThresholds({
        maxErrorRate: analysis.maxErrorRate ?? sloGate.maxErrorRate ?? undefined,
        maxP99Ms: analysis.maxP99Ms ?? sloGate.maxP99Ms ?? undefined,
        window: analysis.window ?? sloGate.window ?? undefined,
      });
    } catch (e) {
      const field = /error rate/.test((e as Error).message) ? 'maxErrorRate' : /P99/.test((e as Error).message) ? 'maxP99Ms' : 'window';
      return fail(this, `analysis.${field}`, (analysis as any)[field], (e as Error).message.replace(/, got .*$/, ''));
    }
    const q = canaryQueriesForArgoRollouts(t.window);
    // Neither condition holds on NaN (no traffic reached the new pods): the measurement is
    // inconclusive and the rollout pauses, as the command changes nothing without data.
    const metric = (name: string, query: string, max: number) => ({
      name,
      count: 1,
      failureLimit: 0,
      successCondition: `result[0] <= ${max}`,
      failureCondition: `result[0] > ${max}`,
      provider: { prometheus: { address, query } },
    });
    const name = `${svc.serviceName}-canary-health`;
    new ApiObject(this, 'AnalysisTemplate', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name, labels: svc.serviceLabels },
      spec: {
        args: [{ name: 'service' }, { name: 'canary-version' }],
        metrics: [metric('error-ratio', q.errorRatio, t.maxErrorRate), metric('latency-p99', q.p99Ms, t.maxP99Ms)],
      },
    });
    return name;
  }

  private steps(steps: readonly RolloutStep[] | undefined, analysis: Record<string, unknown> | undefined): unknown[] {
    const list = v.isSet(steps) ? v.nonEmpty(this, 'steps', steps) : [5, 20, 50].flatMap((w) => [
      RolloutStep.setWeight(w), RolloutStep.pause('5m'), ...(analysis ? [RolloutStep.analysis()] : []),
    ]);
    let last = 0;
    return list.map((step, i) => {
      const f = `steps[${i}]`;
      v.object(this, f, step, 'a RolloutStep: RolloutStep.setWeight(20), RolloutStep.pause("5m") or RolloutStep.analysis()');
      const keys = Object.keys(step);
      if (keys.length !== 1 || !['setWeight', 'pause', 'analysis'].includes(keys[0])) fail(this, f, step, 'exactly one of setWeight, pause or analysis');
      if ('setWeight' in step) {
        const w = v.integer(this, `${f}.setWeight`, step.setWeight, 1, 100);
        if (w < last) fail(this, `${f}.setWeight`, w, `a weight not below the previous step's (${last})`);
        last = w;
        return { setWeight: w };
      }
      if ('pause' in step) {
        if (step.pause === 'manual') return { pause: {} };
        if (typeof step.pause !== 'string' || !/^[1-9][0-9]*(s|m|h)$/.test(step.pause)) fail(this, `${f}.pause`, step.pause, 'a duration such as "30s", "5m" or "1h", or "manual" (wait for promotion)');
        return { pause: { duration: step.pause } };
      }
      if (step.analysis !== true) fail(this, `${f}.analysis`, step.analysis, 'true');
      if (!analysis) fail(this, `${f}.analysis`, true, 'an analysis step only together with analysis: { prometheusAddress }');
      return { analysis };
    });
  }

  /** The DestinationRule and VirtualService the canary's weights are shifted in (and the route's timeout and retries). */
  private routes(svc: MicroserviceChart, props: ArgoRolloutProps, strategy: 'canary' | 'blueGreen', apiVersion: IstioApiVersion, scope: Construct): void {
    const host = svc.serviceName;
    // A CanaryRoute has claimed the host already.
    if (!(scope instanceof CanaryRoute)) claimHost(this, 'service', { namespace: svc.namespace, gateway: 'mesh', host, owner: `service ${host}` });
    const gateways = v.optionalList(this, 'gateways', props.gateways);
    gateways.forEach((g, i) => {
      if (typeof g !== 'string' || !/^([a-z0-9-]+\/)?[a-z0-9-]+$/.test(g) || g === 'mesh') fail(this, `gateways[${i}]`, g, 'a gateway as "namespace/name" or "name" ("mesh" is always included)');
    });
    const publicHosts = v.optionalList(this, 'publicHosts', props.publicHosts);
    publicHosts.forEach((h, i) => {
      if (typeof h === 'string' && h.startsWith('*')) fail(this, `publicHosts[${i}]`, h, 'an explicit host name: a wildcard host on a route that also serves the mesh would capture every service\'s traffic');
      v.hostName(this, `publicHosts[${i}]`, h);
    });
    const defaultRoute = v.optionalObject(this, 'defaultRoute', props.defaultRoute, 'an object { timeout?, retries?, fault?, rewriteUri? }') ?? {};
    for (const field of ['destinations', 'match', 'name', 'mirror'] as const) {
      const value = (defaultRoute as HttpRouteOptions)[field];
      if (v.isSet(value)) fail(this, `defaultRoute.${field}`, value, 'timeout, retries, fault and rewriteUri only: the route\'s destinations are Argo Rollouts\' stable and canary subsets');
    }
    const canary = strategy === 'canary';
    const subsets = canary ? [STABLE_SUBSET, CANARY_SUBSET] : [];
    const route = renderHttpRoute(this, 'defaultRoute', {
      ...defaultRoute,
      name: ROUTE,
      // Both destinations must be present for Argo Rollouts to set their weights; it starts all on stable.
      destinations: canary ? [{ subset: STABLE_SUBSET, weight: 100 }, { subset: CANARY_SUBSET, weight: 0 }] : undefined,
    }, host, canary ? subsets : ['-'], '-');
    if (!canary) route.route = [{ destination: { host } }]; // blue/green: the Services switch, not the route
    const selector = { version: svc.tracks[0].version };
    const metadata = { name: host, labels: svc.serviceLabels };
    new ApiObject(this, 'DestinationRule', {
      ...CustomKinds.DestinationRule[apiVersion],
      metadata,
      spec: {
        host,
        trafficPolicy: renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy),
        // Argo Rollouts adds each ReplicaSet's rollouts-pod-template-hash to these labels.
        subsets: canary ? subsets.map((name) => ({ name, labels: selector })) : undefined,
      },
    });
    new ApiObject(this, 'VirtualService', {
      ...CustomKinds.VirtualService[apiVersion],
      metadata,
      spec: { hosts: [host, ...publicHosts], gateways: gateways.length > 0 ? ['mesh', ...gateways] : undefined, http: [route] },
    });
  }

  /**
   * Rollouts' migration path: the Rollout owns the replica count from now on (the chart's fixed
   * count, or its autoscaler, retargeted to the Rollout); the Deployment keeps no `replicas` of
   * its own, so that Argo CD does not scale back up what Rollouts scales down.
   */
  private takeOverScaling(svc: MicroserviceChart, deploymentReplicas: number | undefined): number | undefined {
    const name = svc.deployment.name;
    const scalers = svc.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.name === name
      && ['HorizontalPodAutoscaler', 'ScaledObject', 'VerticalPodAutoscaler'].includes(c.kind));
    for (const scaler of scalers) {
      const field = scaler.kind === 'VerticalPodAutoscaler' ? '/spec/targetRef' : '/spec/scaleTargetRef';
      scaler.addJsonPatch(JsonPatch.replace(field, { ...ROLLOUT_REF, name }));
    }
    const autoscaledNow = svc.isAutoscaled;
    if (!autoscaledNow) svc.deployment.resource.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    validateAtSynthesis(this, () => {
      if (svc.isAutoscaled && !autoscaledNow) {
        fail(this, 'service', svc.serviceName, 'autoscalers attached before the Rollout is created: the Rollout retargets them and takes over the replica count');
      }
    });
    return autoscaledNow ? undefined : deploymentReplicas;
  }
}
