import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail, validateAtSynthesis } from '../core/errors';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { CanaryRoute, IstioApiVersion } from './canary-route';
import { claimHost, qualifiedGateway } from './host-claims';
import { HttpRouteOptions, RenderedDestination, renderRoute, RouteTarget } from './http-route';
import { checkGatewayServes, gatewayHost, GatewayReference, resolveGateway } from './istio-gateway';

/** Where a gateway route sends (a share of) its requests. */
export interface GatewayDestination {
  /** A service of this app, or a host name (a service in another namespace as its FQDN, a ServiceEntry host). */
  readonly service: MicroserviceChart | string;
  /** Port of the service. @default the MicroserviceChart's service port; none for a host name (needed when it has several ports) */
  readonly port?: number;
  /** A subset of the service's {@link CanaryRoute} (its DestinationRule). @default every pod of the service */
  readonly subset?: string;
  /** Percent of the route's traffic, an integer; all destinations of a route sum to 100. @default 100 (single destination) */
  readonly weight?: number;
}

/** A copy of a share of a route's requests to another service (responses discarded). */
export interface GatewayMirror extends Omit<GatewayDestination, 'weight'> {
  /** Percent of the requests copied. */
  readonly percentage: number;
}

/** One rule of a {@link GatewayRoute}: matches, destinations and the usual route options. */
export interface GatewayHttpRoute extends Omit<HttpRouteOptions, 'destinations' | 'mirror'> {
  /** Where matching requests go. */
  readonly destinations: GatewayDestination[];
  /** Copy a percentage of the requests to another service or subset. @default none */
  readonly mirror?: GatewayMirror;
}

/** Props of {@link GatewayRoute}. */
export interface GatewayRouteProps {
  /** Name of the VirtualService. */
  readonly name: string;
  /** Gateways it binds to: IstioGateway constructs, or "namespace/name" / "name" of gateways defined elsewhere. */
  readonly gateways: GatewayReference[];
  /** Hosts it routes: "*", "*.example.com" or names; each must be served by the IstioGateways given. */
  readonly hosts: string[];
  /** Rules, evaluated in order (the first match wins). */
  readonly routes: GatewayHttpRoute[];
  /** @default "v1" */
  readonly istioApiVersion?: IstioApiVersion;
}

/**
 * The VirtualService of an ingress gateway's host, routing requests by URI (or header, method, port)
 * to several services and ports, e.g. bookinfo's `/productpage`, `/login` and `/api/v1/products`
 * to productpage:9080. Applies to gateway traffic only (not `mesh`), so it may use the wildcard
 * host `*`; it is the one route of its hosts on its gateways.
 */
export class GatewayRoute extends Construct {
  /** Name of the VirtualService. */
  public readonly routeName: string;
  /** The services it routes to (MicroserviceCharts of this app). */
  public readonly services: readonly MicroserviceChart[];

  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    v.props(this, props, 'GatewayRouteProps');
    this.routeName = v.dnsSubdomain(this, 'name', props.name);
    const namespace = Chart.of(this).namespace ?? 'default';
    const resolved = v.nonEmpty(this, 'gateways', props.gateways).map((g, i) => resolveGateway(this, `gateways[${i}]`, g, namespace));
    const gateways = resolved.map((g) => g.ref);
    v.unique(this, 'gateways', gateways);
    const hosts = v.nonEmpty(this, 'hosts', props.hosts).map((h, i) => gatewayHost(this, `hosts[${i}]`, h));
    v.unique(this, 'hosts', hosts);
    hosts.forEach((h, i) => resolved.forEach((g) => g.construct && checkGatewayServes(this, `hosts[${i}]`, g.construct, h)));

    const services = new Set<MicroserviceChart>();
    const subsetChecks: Array<() => void> = [];
    const target: RouteTarget<GatewayDestination> = {
      describe: 'a GatewayDestination { service, port?, subset?, weight? }',
      key: (d) => `${d.service instanceof MicroserviceChart ? d.service.serviceName : d.service}${v.isSet(d.port) ? `:${d.port}` : ''}${v.isSet(d.subset) ? `/${d.subset}` : ''}`,
      destination: (field, d) => this.destination(field, d, namespace, services, subsetChecks),
      mirror: (field, m) => this.destination(field, m, namespace, services, subsetChecks),
      mirrorFields: 'service, port?, subset?',
    };
    const http = v.nonEmpty(this, 'routes', props.routes).map((r, i) => renderRoute(this, `routes[${i}]`, r, target));
    this.services = [...services];
    validateAtSynthesis(this, () => subsetChecks.forEach((check) => check()));

    for (const gateway of gateways) {
      hosts.forEach((host, i) => claimHost(this, `hosts[${i}]`, { namespace, gateway: qualifiedGateway(namespace, gateway), host, owner: `GatewayRoute ${this.routeName}` }));
    }
    const gvk = CustomKinds.VirtualService[v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const)];
    new ApiObject(this, 'Resource', { ...gvk, metadata: { name: this.routeName }, spec: { hosts, gateways, http } });
  }

  private destination(field: string, d: GatewayDestination, namespace: string, services: Set<MicroserviceChart>, subsetChecks: Array<() => void>): RenderedDestination {
    const subset = v.isSet(d.subset) ? v.dnsLabel(this, `${field}.subset`, d.subset) : undefined;
    if (d.service instanceof MicroserviceChart) {
      const svc = d.service;
      services.add(svc);
      const port = v.isSet(d.port) ? v.port(this, `${field}.port`, d.port) : svc.servicePort;
      if (port !== svc.servicePort) fail(this, `${field}.port`, port, `the port of service ${svc.serviceName} (${svc.servicePort})`);
      if (subset) {
        // The service's CanaryRoute may be defined after this route: its subsets are checked at synthesis.
        subsetChecks.push(() => {
          const route = this.node.root.node.findAll().find((c): c is CanaryRoute => c instanceof CanaryRoute && c.service === svc);
          if (!route || !route.subsets.includes(subset)) {
            fail(this, `${field}.subset`, subset, route ? `a subset of ${svc.serviceName}: ${route.subsets.join(', ')}` : `no subset: ${svc.serviceName} has no CanaryRoute (DestinationRule) defining subsets`);
          }
        });
      }
      const host = svc.namespace === namespace ? svc.serviceName : `${svc.serviceName}.${svc.namespace}.svc.cluster.local`;
      return { host, subset, port: { number: port } };
    }
    if (typeof d.service !== 'string' || !(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(d.service) || v.hostName(this, `${field}.service`, d.service))) {
      fail(this, `${field}.service`, d.service, 'a MicroserviceChart, or a host name such as "productpage.bookinfo.svc.cluster.local"');
    }
    if (d.service.includes('*')) fail(this, `${field}.service`, d.service, 'a host name without wildcards');
    return { host: d.service, subset, port: v.isSet(d.port) ? { number: v.port(this, `${field}.port`, d.port) } : undefined };
  }
}
