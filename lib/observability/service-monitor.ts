import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { DEFAULT_DISCOVERY_LABELS } from './slo-prometheus-rule';

/** How often and how Prometheus scrapes one endpoint (ServiceMonitor and PodMonitor alike). */
export interface ScrapeEndpointOptions {
  /** HTTP path of the metrics. @default "/metrics" */
  readonly path?: string;
  /** Scrape interval (a Prometheus duration). @default "30s" */
  readonly interval?: string;
  /** Scrape timeout, at most the interval. @default Prometheus' (10s, capped at the interval) */
  readonly scrapeTimeout?: string;
  /** @default "http" ("https" with istioMtls) */
  readonly scheme?: 'http' | 'https';
  /**
   * Scrape through the Istio sidecar under STRICT mTLS, as Istio documents for Prometheus: HTTPS with
   * the workload certificates Prometheus' own sidecar writes to `/etc/prom-certs/` (Prometheus runs with
   * the annotations `sidecar.istio.io/userVolumeMount`, `proxy.istio.io/config` OUTPUT_CERTS and no
   * inbound interception), skipping the server-name check Istio's SPIFFE identities do not satisfy.
   * @default false
   */
  readonly istioMtls?: boolean;
}

/** Where Prometheus' Istio sidecar writes its workload certificates (Istio's documented path). */
export const ISTIO_PROMETHEUS_CERTS = { caFile: '/etc/prom-certs/root-cert.pem', certFile: '/etc/prom-certs/cert-chain.pem', keyFile: '/etc/prom-certs/key.pem' } as const;

/** What a ServiceMonitor and a PodMonitor are both given, besides what they select and by which port. */
export interface MonitorProps extends ScrapeEndpointOptions {
  /** Name of the object. */
  readonly name: string;
  /** Namespace of the object. @default the chart's */
  readonly namespace?: string;
  /**
   * Namespaces of the scraped Services or pods (`namespaceSelector.matchNames`).
   * @default only the object's own namespace
   */
  readonly targetNamespaces?: string[];
  /** Pod labels copied onto every series, e.g. `version` to tell stable from canary. @default ["version"] */
  readonly podTargetLabels?: string[];
  /**
   * Labels the Prometheus' `serviceMonitorSelector` / `podMonitorSelector` matches.
   * @default { release: "kube-prometheus-stack" } (kube-prometheus-stack's default selector)
   */
  readonly discoveryLabels?: Record<string, string>;
  /** Further labels of the object. @default none */
  readonly labels?: Record<string, string>;
}

/** Props of {@link ServiceMonitor}. */
export interface ServiceMonitorProps extends MonitorProps {
  /** Labels of the Services to scrape (`spec.selector.matchLabels`). */
  readonly selector: Record<string, string>;
  /** Name of the Service port that serves the metrics (a ServiceMonitor names ports, it cannot use numbers). */
  readonly port: string;
}

const PROM_DURATION = /^(\d+(ms|[smhdwy]))+$/;

/** A validated scrape endpoint (shared by ServiceMonitor and PodMonitor). */
export function scrapeEndpoint(scope: Construct, options: ScrapeEndpointOptions): Record<string, unknown> {
  const duration = (field: string, value: unknown) => {
    if (typeof value !== 'string' || !PROM_DURATION.test(value)) fail(scope, field, value, 'a Prometheus duration such as "15s", "30s" or "1m"');
    return value;
  };
  const interval = duration('interval', options.interval ?? '30s');
  const scrapeTimeout = v.isSet(options.scrapeTimeout) ? duration('scrapeTimeout', options.scrapeTimeout) : undefined;
  if (scrapeTimeout && (v.durationMs(scrapeTimeout) ?? 0) > (v.durationMs(interval) ?? Infinity)) {
    fail(scope, 'scrapeTimeout', scrapeTimeout, `a timeout no longer than the interval (${interval})`);
  }
  const istioMtls = v.optionalBoolean(scope, 'istioMtls', options.istioMtls) ?? false;
  const scheme = v.oneOf(scope, 'scheme', options.scheme ?? (istioMtls ? 'https' : 'http'), ['http', 'https'] as const);
  if (istioMtls && scheme !== 'https') fail(scope, 'scheme', scheme, '"https" with istioMtls (the sidecar only accepts mutual TLS)');
  return {
    path: v.httpPath(scope, 'path', options.path ?? '/metrics'),
    interval,
    scrapeTimeout,
    scheme,
    tlsConfig: istioMtls ? { ...ISTIO_PROMETHEUS_CERTS, insecureSkipVerify: true } : undefined,
  };
}

/** `namespaceSelector` of a monitor: its own namespace unless others are named. */
export function namespaceSelector(scope: Construct, field: string, namespaces: readonly string[] | undefined | null): Record<string, unknown> | undefined {
  if (!v.isSet(namespaces)) return undefined;
  const names = v.nonEmpty(scope, field, namespaces).map((n, i) => v.dnsLabel(scope, `${field}[${i}]`, n));
  v.unique(scope, field, names);
  return { matchNames: names };
}

/**
 * A Prometheus Operator `ServiceMonitor` (monitoring.coreos.com/v1): Prometheus scrapes the
 * endpoints of the Services carrying `selector`'s labels on the named port, and finds the monitor
 * by its discovery labels (kube-prometheus-stack's `release` label by default).
 */
export class ServiceMonitor extends Construct {
  /** The object's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id);
    v.props(this, props, 'ServiceMonitorProps');
    this.name = renderMonitor(this, 'ServiceMonitor', props);
  }
}

/**
 * The object of a {@link ServiceMonitor} or a PodMonitor under `scope`: they differ only in what
 * their selector selects (Services or pods) and where the scrape endpoints go. Returns its name.
 */
export function renderMonitor(scope: Construct, kind: 'ServiceMonitor' | 'PodMonitor', props: MonitorProps & { readonly selector: Record<string, string>; readonly port: string }): string {
  const what = kind === 'ServiceMonitor' ? 'Service' : 'pod';
  const name = v.dnsSubdomain(scope, 'name', props.name);
  const selector = v.labels(scope, 'selector', v.object(scope, 'selector', props.selector, `a map of ${what} labels`));
  if (Object.keys(selector).length === 0) fail(scope, 'selector', selector, `at least one label (an empty selector scrapes every ${what})`);
  const port = v.dnsLabel(scope, 'port', props.port);
  const podTargetLabels = v.isSet(props.podTargetLabels) ? v.list(scope, 'podTargetLabels', props.podTargetLabels).map((l, i) => v.labelKey(scope, `podTargetLabels[${i}]`, l)) : ['version'];
  new ApiObject(scope, 'Resource', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: {
      name,
      namespace: v.isSet(props.namespace) ? v.dnsLabel(scope, 'namespace', props.namespace) : undefined,
      labels: { ...v.labels(scope, 'labels', props.labels), ...v.labels(scope, 'discoveryLabels', props.discoveryLabels ?? DEFAULT_DISCOVERY_LABELS) },
    },
    spec: {
      selector: { matchLabels: selector },
      namespaceSelector: namespaceSelector(scope, 'targetNamespaces', props.targetNamespaces),
      podTargetLabels: podTargetLabels.length > 0 ? podTargetLabels : undefined,
      [kind === 'ServiceMonitor' ? 'endpoints' : 'podMetricsEndpoints']: [{ port, ...scrapeEndpoint(scope, props) }],
    },
  });
  return name;
}
