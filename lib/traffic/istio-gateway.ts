import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { CertificatePrivateKeyOptions, IssuerReference, TlsCertificate } from '../certificates/tls-certificate';
import type { IstioApiVersion } from './canary-route';

/** Props of {@link IstioGateway}. */
export interface IstioGatewayProps {
  /** Gateway name. */
  readonly name: string;
  /** Hosts served: names such as "api.example.com", "*.example.com", or "*" for any host. */
  readonly hosts: string[];
  /**
   * Secret (in the ingress gateway's namespace) with the TLS certificate: an HTTPS server on 443
   * is rendered, and plain HTTP is redirected to it. Without it the gateway serves plain HTTP only
   * (bookinfo's gateway, a dev cluster, TLS terminated before the gateway). @default plain HTTP only
   */
  readonly credentialName?: string;
  /** Redirect plain HTTP to HTTPS (needs `credentialName`). @default true with a credentialName */
  readonly httpsRedirect?: boolean;
  /** Port of the plain HTTP server (e.g. 8080, the default gateway's container port). @default 80 */
  readonly httpPort?: number;
  /** Labels of the ingress gateway pods. @default { istio: "ingressgateway" } */
  readonly selector?: Record<string, string>;
  /** @default "v1" */
  readonly istioApiVersion?: IstioApiVersion;
  /**
   * Issue the certificate with cert-manager: a `Certificate` for every host, written to the
   * Secret `credentialName` in the ingress gateway's namespace (where Istio reads it).
   * @default none (the Secret is provided otherwise and must be declared external)
   */
  readonly certificate?: GatewayCertificateOptions;
}

/** The cert-manager Certificate of an {@link IstioGateway}. */
export interface GatewayCertificateOptions {
  /** Who signs it. */
  readonly issuer: IssuerReference;
  /** Namespace of the ingress gateway pods, where Istio looks up `credentialName`. @default "istio-system" */
  readonly gatewayNamespace?: string;
  /** Lifetime asked for. @default the issuer's */
  readonly duration?: string;
  /** Renewal this long before expiry. @default a third of the lifetime */
  readonly renewBefore?: string;
  /** @default ECDSA P-256 */
  readonly privateKey?: CertificatePrivateKeyOptions;
}

/** A gateway host: "*", "*.example.com" or "api.example.com". */
export function gatewayHost(scope: Construct, field: string, host: unknown): string {
  return host === '*' ? host : v.hostName(scope, field, host);
}

/** True when a gateway serving `gatewayHost` accepts requests for `routeHost` ("*" route hosts take the gateway's). */
export function gatewayServes(gatewayHostName: string, routeHost: string): boolean {
  if (gatewayHostName === '*' || routeHost === '*' || gatewayHostName === routeHost) return true;
  if (gatewayHostName.startsWith('*.')) return routeHost.endsWith(gatewayHostName.slice(1));
  return routeHost.startsWith('*.') && gatewayHostName.endsWith(routeHost.slice(1));
}

/**
 * An Istio ingress Gateway: HTTPS with a certificate and HTTP redirected to HTTPS, or plain HTTP
 * on a chosen port; explicit, wildcard (`*.example.com`) or any (`*`) hosts.
 */
export class IstioGateway extends Construct {
  /** The gateway name, for CanaryRoute's `gateways`. */
  public readonly gatewayName: string;
  /** The hosts it serves. */
  public readonly hosts: readonly string[];
  /** Its namespace (that of its chart), for references from other namespaces. */
  public readonly namespace: string;
  /** The cert-manager Certificate, when `certificate` is set. */
  public readonly certificate?: TlsCertificate;

  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    v.props(this, props, 'IstioGatewayProps');
    this.gatewayName = v.dnsLabel(this, 'name', props.name);
    this.namespace = Chart.of(this).namespace ?? 'default';
    this.hosts = v.nonEmpty(this, 'hosts', props.hosts).map((h, i) => gatewayHost(this, `hosts[${i}]`, h));
    v.unique(this, 'hosts', this.hosts);
    const credentialName = v.isSet(props.credentialName) ? v.dnsSubdomain(this, 'credentialName', props.credentialName) : undefined;
    const selector = v.labels(this, 'selector', props.selector ?? { istio: 'ingressgateway' });
    if (Object.keys(selector).length === 0) fail(this, 'selector', selector, 'labels selecting the ingress gateway pods');
    const httpPort = v.port(this, 'httpPort', props.httpPort ?? 80);
    if (credentialName && httpPort === 443) fail(this, 'httpPort', httpPort, 'a port other than 443, which serves HTTPS');
    const redirect = v.optionalBoolean(this, 'httpsRedirect', props.httpsRedirect);
    if (redirect && !credentialName) fail(this, 'httpsRedirect', redirect, 'false or nothing without a credentialName (there is no HTTPS server to redirect to)');
    const hosts = [...this.hosts];
    const http = { port: { number: httpPort, name: 'http', protocol: 'HTTP' }, hosts, tls: credentialName && (redirect ?? true) ? { httpsRedirect: true } : undefined };
    const spec = {
      selector,
      servers: credentialName
        ? [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName } }, http]
        : [http],
    };
    const gvk = CustomKinds.Gateway[v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const)];
    new ApiObject(this, 'Resource', { ...gvk, metadata: { name: this.gatewayName }, spec });
    const certificate = v.optionalObject(this, 'certificate', props.certificate, 'an object of GatewayCertificateOptions { issuer, gatewayNamespace?, … }');
    if (certificate) {
      // A certificate serves the HTTPS server: without a credentialName there is none.
      if (!credentialName) fail(this, 'certificate', certificate, 'nothing without a credentialName (a plain-HTTP gateway has no certificate)');
      this.certificate = new TlsCertificate(this, 'Certificate', {
        namespace: v.dnsLabel(this, 'certificate.gatewayNamespace', certificate.gatewayNamespace ?? 'istio-system'),
        secretName: credentialName,
        dnsNames: [...this.hosts],
        issuer: certificate.issuer,
        duration: certificate.duration,
        renewBefore: certificate.renewBefore,
        privateKey: certificate.privateKey,
      });
    }
  }
}

/** A gateway a VirtualService binds to: an {@link IstioGateway} of this app, or `namespace/name` / `name` of one defined elsewhere. */
export type GatewayReference = IstioGateway | string;

/**
 * Resolves `gateway` (field `field` of `scope`) to the name a VirtualService in `namespace` gives
 * it (`name` in its own namespace, else `namespace/name`), with the construct when it is one of
 * this app. "mesh" is refused: routes say whether they serve the mesh themselves.
 */
export function resolveGateway(scope: Construct, field: string, gateway: unknown, namespace: string): { readonly ref: string; readonly construct?: IstioGateway } {
  if (gateway instanceof IstioGateway) {
    return { ref: gateway.namespace === namespace ? gateway.gatewayName : `${gateway.namespace}/${gateway.gatewayName}`, construct: gateway };
  }
  if (typeof gateway !== 'string' || !/^([a-z0-9-]+\/)?[a-z0-9-]+$/.test(gateway) || gateway === 'mesh') {
    fail(scope, field, gateway, 'an IstioGateway, or a gateway as "namespace/name" or "name" (not "mesh")');
  }
  return { ref: gateway };
}

/** Refuses a `host` (field `field`) that the IstioGateway `gateway` does not serve. */
export function checkGatewayServes(scope: Construct, field: string, gateway: IstioGateway, host: string): void {
  if (!gateway.hosts.some((served) => gatewayServes(served, host))) fail(scope, field, host, `a host gateway ${gateway.gatewayName} serves: ${gateway.hosts.join(', ')}`);
}
