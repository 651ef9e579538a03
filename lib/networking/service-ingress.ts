import { Construct } from 'constructs';
import { KubeIngress } from '../../imports/k8s';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { TlsCertificate } from '../certificates/tls-certificate';
import { HTTP_PORT_NAME } from '../workload/service-deployment';

/** Public HTTP(S) exposure of a service through an ingress controller. */
export interface IngressOptions {
  /** The public host name, e.g. "user-api.example.com". */
  readonly host: string;
  /** Path prefix routed to the service. @default "/" */
  readonly path?: string;
  /** IngressClass. @default "nginx" */
  readonly className?: string;
  /** Namespace of the ingress controller pods, admitted by the service's NetworkPolicy. @default "ingress-nginx" */
  readonly controllerNamespace?: string;
  /** Serve TLS; `false` only for local clusters. @default true */
  readonly tls?: boolean;
  /** Secret holding the certificate (issued by cert-manager when `clusterIssuer` is set). @default "<service>-tls" */
  readonly tlsSecretName?: string;
  /**
   * cert-manager ClusterIssuer that issues the certificate: a `Certificate` for the host is rendered
   * next to the Ingress (writing `tlsSecretName`), so the output shows, and the checks verify, who
   * issues it. @default none (certificate managed elsewhere)
   */
  readonly clusterIssuer?: string;
  /** ingress-nginx per-client rate limit in requests per second. @default none */
  readonly rateLimitRps?: number;
  /** Extra annotations for the controller. @default none */
  readonly annotations?: Record<string, string>;
}

/** Props of {@link ServiceIngress}. */
export interface ServiceIngressProps extends IngressOptions {
  /** The Service to route to (its `http` port). */
  readonly serviceName: string;
  /** Name of the Ingress. @default the Service name */
  readonly name?: string;
  /** Labels of the Ingress. */
  readonly labels: Record<string, string>;
}

/** An Ingress for one service: TLS by default, HTTP redirected to HTTPS, optional rate limit. */
export class ServiceIngress extends Construct {
  constructor(scope: Construct, id: string, props: ServiceIngressProps) {
    super(scope, id);
    v.props(this, props, 'ServiceIngressProps');
    v.dnsLabel(this, 'serviceName', props.serviceName);
    if (v.isSet(props.name)) v.dnsSubdomain(this, 'name', props.name);
    v.labels(this, 'labels', v.object(this, 'labels', props.labels, 'a map of label keys to label values'));
    const host = v.hostName(this, 'ingress.host', props.host);
    const path = v.httpPath(this, 'ingress.path', props.path ?? '/');
    const className = v.dnsSubdomain(this, 'ingress.className', props.className ?? 'nginx');
    const tls = v.optionalBoolean(this, 'ingress.tls', props.tls) ?? true;
    const secretName = v.dnsSubdomain(this, 'ingress.tlsSecretName', props.tlsSecretName ?? `${props.serviceName}-tls`);
    const annotations: Record<string, string> = {};
    // An explicit Certificate rather than cert-manager's ingress-shim annotation: the shim creates
    // the Certificate in the cluster, invisible to the checks, to Argo CD's project and to diffs.
    if (v.isSet(props.clusterIssuer) && !tls) fail(this, 'ingress.clusterIssuer', props.clusterIssuer, 'a certificate issuer only with tls (tls is false)');
    if (v.isSet(props.clusterIssuer)) {
      new TlsCertificate(this, 'Certificate', {
        secretName,
        dnsNames: [host],
        issuer: { name: v.dnsSubdomain(this, 'ingress.clusterIssuer', props.clusterIssuer), kind: 'ClusterIssuer' },
        labels: props.labels,
      });
    }
    if (tls) annotations['nginx.ingress.kubernetes.io/ssl-redirect'] = 'true';
    if (v.isSet(props.rateLimitRps)) {
      annotations['nginx.ingress.kubernetes.io/limit-rps'] = String(v.integer(this, 'ingress.rateLimitRps', props.rateLimitRps, 1, 1_000_000));
    }

    new KubeIngress(this, 'Resource', {
      metadata: { name: props.name ?? props.serviceName, labels: props.labels, annotations: { ...annotations, ...v.stringMap(this, 'ingress.annotations', props.annotations) } },
      spec: {
        ingressClassName: className,
        tls: tls ? [{ hosts: [host], secretName }] : undefined,
        rules: [{
          host,
          http: {
            paths: [{
              path,
              pathType: 'Prefix',
              backend: { service: { name: props.serviceName, port: { name: HTTP_PORT_NAME } } },
            }],
          },
        }],
      },
    });
  }
}
