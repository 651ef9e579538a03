import { Construct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { MicroserviceChart } from '../microservice/microservice-chart';
import { IngressOptions, ServiceIngress } from '../networking/service-ingress';

/** Props of {@link NginxCanaryIngress}. */
export interface NginxCanaryIngressProps extends IngressOptions {
  /** The service, with a canary track. */
  readonly service: MicroserviceChart;
  /** Percent of requests to the canary, an integer 0–100. */
  readonly canaryWeight: number;
  /** Requests with this header (and value) always go to the canary. @default none */
  readonly canaryHeader?: { readonly name: string; readonly value: string };
  /** Requests with this cookie set to "always" go to the canary. @default none */
  readonly canaryCookie?: string;
}

/**
 * Canary routing for clusters without a mesh, through ingress-nginx's canary annotations: the
 * main Ingress sends to the stable track's Service, a second Ingress for the same host marked
 * `canary: "true"` sends the weight (and header or cookie matches) to the canary track's Service.
 */
export class NginxCanaryIngress extends Construct {
  constructor(scope: Construct, id: string, props: NginxCanaryIngressProps) {
    super(scope, id);
    v.props(this, props, 'NginxCanaryIngressProps');
    const svc = v.instance(this, 'service', props.service, MicroserviceChart, 'the MicroserviceChart of the service (with a canary track)');
    const canary = svc.tracks.find((t) => t.track === 'canary');
    if (!canary) fail(this, 'service', svc.serviceName, 'a service with a canary track (its canary prop)');
    v.integer(this, 'canaryWeight', props.canaryWeight, 0, 100);
    const stableService = svc.addTrackService('StableTrackService', `${svc.serviceName}-stable`, svc.tracks[0].version);
    const canaryService = svc.addTrackService('CanaryTrackService', `${svc.serviceName}-canary`, canary.version);
    const { service: _service, canaryWeight, canaryHeader: header, canaryCookie, ...ingress } = props;
    const canaryHeader = v.optionalObject(this, 'canaryHeader', header, 'an object { name, value }');
    if (canaryHeader) {
      v.text(this, 'canaryHeader.name', canaryHeader.name, 'a header name');
      v.text(this, 'canaryHeader.value', canaryHeader.value, 'the header value');
    }
    v.optionalText(this, 'canaryCookie', canaryCookie, 'a cookie name');
    svc.admitFrom({ namespace: ingress.controllerNamespace ?? 'ingress-nginx' });

    new ServiceIngress(this, 'Stable', { ...ingress, name: svc.serviceName, serviceName: stableService, labels: svc.serviceLabels });
    const annotations: Record<string, string> = {
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': String(canaryWeight),
    };
    if (canaryHeader) {
      annotations['nginx.ingress.kubernetes.io/canary-by-header'] = canaryHeader.name;
      annotations['nginx.ingress.kubernetes.io/canary-by-header-value'] = canaryHeader.value;
    }
    if (canaryCookie) annotations['nginx.ingress.kubernetes.io/canary-by-cookie'] = canaryCookie;
    // The certificate belongs to the main Ingress; the canary one only adds routing for the same host.
    new ServiceIngress(this, 'Canary', {
      ...ingress, clusterIssuer: undefined, rateLimitRps: undefined, name: `${svc.serviceName}-canary`, serviceName: canaryService, labels: svc.serviceLabels,
      annotations: { ...ingress.annotations, ...annotations },
    });
  }
}
