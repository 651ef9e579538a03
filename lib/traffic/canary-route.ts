import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { ArgoRollout, ArgoRolloutOptions } from './argo-rollout';
import { FlaggerCanary, FlaggerOptions } from './flagger-canary';
import { claimHost, qualifiedGateway } from './host-claims';
import { HttpRouteOptions, renderHttpRoute } from './http-route';
import { checkGatewayServes, GatewayReference, resolveGateway } from './istio-gateway';
import { resolveSubsets, ServiceSubset, SubsetOptions } from './service-subsets';
import { renderTrafficPolicy, TrafficPolicyOptions } from './traffic-policy';

/** Istio API version to emit: `v1` (Istio 1.22+), or `v1beta1` for older control planes. */
export type IstioApiVersion = 'v1' | 'v1beta1';

/** Props of {@link CanaryRoute}. */
export interface CanaryRouteProps {
  /** The service routed; its tracks become the DestinationRule's subsets. */
  readonly service: MicroserviceChart;
  /**
   * The DestinationRule's subsets: free names, label sets selecting one or more tracks
   * (`{ name: 'testversion', labels: { version: 'v3' } }`, `{ name: 'eu', labels: { region: 'eu-west' } }`),
   * each with an optional traffic policy. @default one subset per track, named after its version
   */
  readonly subsets?: SubsetOptions[];
  /** @default "v1" */
  readonly istioApiVersion?: IstioApiVersion;
  /**
   * Percent of traffic to each subset, integers summing to 100, e.g. `{ v1: 90, v2: 10 }` or
   * `{ v1: 50, v3: 50 }`. Becomes the last (catch-all) route.
   * @default 100 % to the subset of the stable track (named after its version, else the first selecting it)
   */
  readonly weights?: Record<string, number>;
  /** Route rules evaluated before the weighted catch-all (header/cookie/URI routes, faults, mirrors). @default none */
  readonly routes?: HttpRouteOptions[];
  /** Timeout, retries (and faults) of the weighted catch-all route. @default none */
  readonly defaultRoute?: Omit<HttpRouteOptions, 'destinations' | 'match' | 'name'>;
  /** Traffic policy of the whole service. @default none */
  readonly trafficPolicy?: TrafficPolicyOptions;
  /** Per-subset policies by subset name (e.g. a stricter circuit breaker for the canary). @default none */
  readonly subsetPolicies?: Record<string, TrafficPolicyOptions>;
  /** Gateways the route also applies to (IstioGateways, or `namespace/name`); in-mesh traffic is always included. @default mesh only */
  readonly gateways?: GatewayReference[];
  /** Public host names served through those gateways (each served by the IstioGateways given). @default none */
  readonly publicHosts?: string[];
  /**
   * Let Flagger run the canary instead of static weights: a Flagger Canary is emitted and
   * Flagger owns the VirtualService, DestinationRule and Services of the host; `defaultRoute`
   * (timeout, retries, rewrite) and `trafficPolicy` go into its `service` block. Not combinable
   * with weights, routes or subset policies, nor with a canary track. @default static routing
   */
  readonly flagger?: FlaggerOptions;
  /**
   * Let Argo Rollouts deliver the service instead: a Rollout referencing the Deployment shifts
   * the weights of this route between the subsets `stable` and `canary` (or switches blue/green
   * Services); `defaultRoute`, `trafficPolicy`, gateways and public hosts apply to its routes.
   * Not combinable with flagger, weights, routes or subset policies. @default static routing
   */
  readonly argoRollout?: ArgoRolloutOptions;
}

/**
 * Istio traffic management for one service: a DestinationRule with a subset per track (and the
 * traffic policy), and the one VirtualService of the service's host (weighted split, header,
 * cookie and URI routes, rewrites, mirroring, timeouts, retries, fault injection, gateway
 * binding). Lives in the service's chart, so its subsets are written before the routes.
 */
export class CanaryRoute extends Construct {
  /** The names of the subsets the routes may name. */
  public readonly subsets: readonly string[];
  /** The subsets with their labels and the tracks they select. */
  public readonly subsetDefinitions: readonly ServiceSubset[];
  /** The service routed. */
  public readonly service: MicroserviceChart;
  /** TLS mode the DestinationRule originates to the service (and per subset), when set. */
  public readonly tlsModes: readonly string[];
  /** The Rollout delivering the service, with `argoRollout` (its `argoCdIgnoreDifferences` go to the Argo CD Application). */
  public readonly argoRollout?: ArgoRollout;

  constructor(scope: Construct, id: string, props: CanaryRouteProps) {
    super(scope, id);
    v.props(this, props, 'CanaryRouteProps');
    const svc = this.service = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service routed');
    const host = svc.serviceName;
    const trafficPolicy = v.optionalObject(this, 'trafficPolicy', props.trafficPolicy, 'a TrafficPolicyOptions object');
    const subsetPolicies = v.optionalObject(this, 'subsetPolicies', props.subsetPolicies, 'a map of subset names to TrafficPolicyOptions') ?? {};
    for (const [key, policy] of Object.entries(subsetPolicies)) v.object(this, `subsetPolicies.${key}`, policy, 'a TrafficPolicyOptions object');
    const apiVersion = v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const);
    const subsets = this.subsetDefinitions = resolveSubsets(this, 'subsets', svc, props.subsets);
    this.subsets = subsets.map((s) => s.name);
    this.tlsModes = [trafficPolicy?.tls?.mode, ...Object.values(subsetPolicies).map((p) => p?.tls?.mode), ...subsets.map((s) => s.trafficPolicy?.tls?.mode)]
      .filter((m): m is NonNullable<typeof m> => v.isSet(m));
    const stableTrack = svc.tracks[0];
    const stable = (subsets.find((s) => s.name === stableTrack.version) ?? subsets.find((s) => s.tracks.includes(stableTrack)))?.name;
    const owner = `service ${host}`;
    claimHost(this, 'service', { namespace: svc.namespace, gateway: 'mesh', host, owner });
    const claimPublicHosts = (gateways: readonly string[], hosts: readonly string[]) => gateways.forEach((g) => hosts.forEach((h, i) =>
      claimHost(this, `publicHosts[${i}]`, { namespace: svc.namespace, gateway: qualifiedGateway(svc.namespace, g), host: h, owner })));
    const resolvedGateways = v.optionalList(this, 'gateways', props.gateways).map((g, i) => resolveGateway(this, `gateways[${i}]`, g, svc.namespace));
    const gateways = resolvedGateways.map((g) => g.ref);
    const flagger = v.optionalObject(this, 'flagger', props.flagger, 'a FlaggerOptions object');
    const argoRollout = v.optionalObject(this, 'argoRollout', props.argoRollout, 'an ArgoRolloutOptions object');
    if (flagger && argoRollout) fail(this, 'argoRollout', argoRollout, 'one progressive-delivery engine per service: flagger or argoRollout, not both (each would run the pods and shift the traffic)');
    if (argoRollout) {
      for (const field of ['subsets', 'weights', 'routes', 'subsetPolicies'] as const) {
        if (v.isSet(props[field])) fail(this, field, props[field], 'nothing: with argoRollout, Argo Rollouts sets the weights of the stable and canary subsets');
      }
      this.argoRollout = new ArgoRollout(this, 'ArgoRollout', {
        ...argoRollout, service: svc, gateways: v.isSet(props.gateways) ? gateways : undefined, publicHosts: props.publicHosts,
        defaultRoute: props.defaultRoute, trafficPolicy: props.trafficPolicy, istioApiVersion: apiVersion,
      });
      claimPublicHosts(gateways, props.publicHosts ?? []);
      return;
    }
    if (flagger) {
      for (const field of ['subsets', 'weights', 'routes', 'subsetPolicies'] as const) {
        if (v.isSet(props[field])) fail(this, field, props[field], 'nothing: with flagger, Flagger generates the routes and subsets (defaultRoute and trafficPolicy carry over)');
      }
      new FlaggerCanary(this, 'Flagger', {
        ...flagger, service: svc, gateways: v.isSet(props.gateways) ? gateways : undefined, hosts: props.publicHosts, defaultRoute: props.defaultRoute, trafficPolicy: props.trafficPolicy,
      });
      claimPublicHosts(gateways, props.publicHosts ?? []);
      return;
    }

    const publicHosts = v.optionalList(this, 'publicHosts', props.publicHosts);
    v.unique(this, 'gateways', gateways);
    publicHosts.forEach((h, i) => {
      if (typeof h === 'string' && h.startsWith('*')) fail(this, `publicHosts[${i}]`, h, 'an explicit host name: a wildcard host on a route that also serves the mesh would capture every service\'s traffic');
      v.hostName(this, `publicHosts[${i}]`, h);
      resolvedGateways.forEach((g) => g.construct && checkGatewayServes(this, `publicHosts[${i}]`, g.construct, h));
    });
    claimPublicHosts(gateways, publicHosts);
    for (const key of Object.keys(subsetPolicies)) {
      const subset = subsets.find((x) => x.name === key);
      if (!subset) fail(this, `subsetPolicies.${key}`, key, `a subset of ${host}: ${this.subsets.join(', ')}`);
      if (subset.trafficPolicy) fail(this, `subsetPolicies.${key}`, key, `a subset without its own trafficPolicy in subsets (${key} has one)`);
    }

    const givenWeights = v.optionalObject(this, 'weights', props.weights, 'a map of subset name to percent, e.g. { v1: 90, v2: 10 }');
    if (!givenWeights && stable === undefined) {
      fail(this, 'weights', props.weights, `weights over the subsets (${this.subsets.join(', ')}): none selects the stable track ${stableTrack.deploymentName}, the default destination`);
    }
    const weights = givenWeights ?? { [stable!]: 100 };
    const defaultRoute = v.optionalObject(this, 'defaultRoute', props.defaultRoute, 'an object { timeout?, retries?, fault?, mirror?, rewriteUri? }') ?? {};
    for (const field of ['destinations', 'match', 'name'] as const) {
      if (v.isSet((defaultRoute as HttpRouteOptions)[field])) {
        fail(this, `defaultRoute.${field}`, (defaultRoute as HttpRouteOptions)[field], `nothing: the catch-all route matches every request, is named "default" and goes to the weights`);
      }
    }
    const http = [
      ...v.optionalList(this, 'routes', props.routes).map((r, i) => renderHttpRoute(this, `routes[${i}]`, r, host, this.subsets, stable ?? this.subsets[0])),
      renderHttpRoute(this, 'defaultRoute', {
        ...defaultRoute,
        name: 'default',
        // Zero-weight destinations are left out, but only after the weights were checked.
        destinations: Object.entries(weights).map(([subset, weight]) => ({ subset, weight })),
      }, host, this.subsets, stable ?? this.subsets[0], 'weights.destinations'),
    ];
    const catchAll = http[http.length - 1];
    catchAll.route = catchAll.route.filter((r: any) => r.weight !== 0);
    if (catchAll.route.length === 1) delete catchAll.route[0].weight;

    const drSpec = {
      host,
      trafficPolicy: renderTrafficPolicy(this, 'trafficPolicy', trafficPolicy),
      subsets: subsets.map((subset, i) => ({
        name: subset.name,
        labels: subset.labels,
        trafficPolicy: subset.trafficPolicy
          ? renderTrafficPolicy(this, `subsets[${i}].trafficPolicy`, subset.trafficPolicy)
          : renderTrafficPolicy(this, `subsetPolicies.${subset.name}`, subsetPolicies[subset.name]),
      })),
    };
    const vsSpec = {
      hosts: [host, ...publicHosts],
      gateways: gateways.length > 0 ? ['mesh', ...gateways] : undefined,
      http,
    };
    // Plain ApiObjects, not the generated classes: those rename some fields
    // (consecutive5xxErrors → consecutive5XxErrors) and silently drop raw JSON spelled the API's way.
    const metadata = { name: host, labels: svc.serviceLabels };
    new ApiObject(this, 'DestinationRule', { ...CustomKinds.DestinationRule[apiVersion], metadata, spec: drSpec });
    new ApiObject(this, 'VirtualService', { ...CustomKinds.VirtualService[apiVersion], metadata, spec: vsSpec });
  }
}
