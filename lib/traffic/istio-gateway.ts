import { ApiObject } from 'cdk8s';
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
  /** Hosts served. */
  readonly hosts: string[];
  /** Secret (in the ingress gateway's namespace) with the TLS certificate. */
  readonly credentialName: string;
  /** Redirect plain HTTP to HTTPS. @default true */
  readonly httpsRedirect?: boolean;
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

/** An Istio ingress Gateway: HTTPS with a certificate, and HTTP redirected to HTTPS. */
export class IstioGateway extends Construct {
  /** The gateway name, for CanaryRoute's `gateways`. */
  public readonly gatewayName: string;
  /** The cert-manager Certificate, when `certificate` is set. */
  public readonly certificate?: TlsCertificate;

  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    v.props(this, props, 'IstioGatewayProps');
    this.gatewayName = v.dnsLabel(this, 'name', props.name);
    v.nonEmpty(this, 'hosts', props.hosts).forEach((h, i) => v.hostName(this, `hosts[${i}]`, h));
    v.dnsSubdomain(this, 'credentialName', props.credentialName);
    const selector = v.labels(this, 'selector', props.selector ?? { istio: 'ingressgateway' });
    if (Object.keys(selector).length === 0) fail(this, 'selector', selector, 'labels selecting the ingress gateway pods');
    const spec = {
      selector,
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: props.hosts, tls: { mode: 'SIMPLE', credentialName: props.credentialName } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: props.hosts, tls: (v.optionalBoolean(this, 'httpsRedirect', props.httpsRedirect) ?? true) ? { httpsRedirect: true } : undefined },
      ],
    };
    const gvk = CustomKinds.Gateway[v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const)];
    new ApiObject(this, 'Resource', { ...gvk, metadata: { name: this.gatewayName }, spec });
    const certificate = v.optionalObject(this, 'certificate', props.certificate, 'an object of GatewayCertificateOptions { issuer, gatewayNamespace?, … }');
    if (certificate) {
      this.certificate = new TlsCertificate(this, 'Certificate', {
        namespace: v.dnsLabel(this, 'certificate.gatewayNamespace', certificate.gatewayNamespace ?? 'istio-system'),
        secretName: props.credentialName,
        dnsNames: props.hosts,
        issuer: certificate.issuer,
        duration: certificate.duration,
        renewBefore: certificate.renewBefore,
        privateKey: certificate.privateKey,
      });
    }
  }
}
