import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail, validateAtSynthesis } from '../core/errors';
import * as v from '../core/validators';
import { PodMonitor } from './pod-monitor';
import { ServiceDashboard, serviceDashboardUid } from './service-dashboard';
import { ServiceMonitor } from './service-monitor';
import { ServiceSlo, ServiceSloOptions, SloCanaryGate } from './service-slo';
import { DEFAULT_DISCOVERY_LABELS, SloPrometheusRule } from './slo-prometheus-rule';

/** Grafana dashboard settings. */
export interface DashboardOptions {
  /** Namespace of the dashboard ConfigMap, where Grafana's sidecar looks. @default "monitoring" */
  readonly namespace?: string;
  /** Labels the sidecar discovers dashboards by. @default { grafana_dashboard: "1" } */
  readonly discoveryLabels?: Record<string, string>;
  /** Grafana folder (annotation `grafana_folder`). @default none */
  readonly folder?: string;
  /**
   * Grafana's base URL: the alerts' `dashboard_url` annotation then links this dashboard
   * (`<grafanaUrl>/d/<uid>`), unless the SLO sets its own. @default no link
   */
  readonly grafanaUrl?: string;
}

/** Observability of one service (the `monitoring` prop of MicroserviceChart). */
export interface MonitoringOptions {
  /** A ServiceMonitor on the Service's metrics port. @default true (unless podMonitor) */
  readonly serviceMonitor?: boolean;
  /** A PodMonitor on the pods' metrics port instead (pods of every track, also controller-made copies). @default false */
  readonly podMonitor?: boolean;
  /** Scrape the app through its Istio sidecar with mutual TLS (STRICT mTLS meshes; see ScrapeEndpointOptions.istioMtls). @default false */
  readonly istioMtls?: boolean;
  /**
   * A PodMonitor `<service>-istio-proxy` on the sidecar's `http-envoy-prom` port (15090,
   * `/stats/prometheus`, outside mTLS): the `istio_requests_total` and
   * `istio_request_duration_milliseconds` series the SLOs, the dashboard and the canary gate read.
   * Unneeded where a mesh-wide monitor already scrapes every sidecar. @default false
   */
  readonly istioProxyMetrics?: boolean;
  /**
   * Namespaces whose workloads (Prometheus) may GET the metrics path on the metrics port: an Istio
   * ALLOW AuthorizationPolicy `<service>-metrics-scrape`, for meshes that deny by default (with
   * MeshSecurity's authorization, an mTLS scrape is otherwise refused). Only where the workload
   * already has ALLOW policies: Istio denies whatever no ALLOW policy matches once one exists.
   * @default none
   */
  readonly allowScrapeFrom?: string[];
  /** Scrape interval. @default "30s" */
  readonly interval?: string;
  /** Scrape timeout, at most the interval. @default Prometheus' */
  readonly scrapeTimeout?: string;
  /**
   * Labels kube-prometheus-stack's Prometheus selects monitors and rules by.
   * @default { release: "kube-prometheus-stack" }
   */
  readonly discoveryLabels?: Record<string, string>;
  /**
   * The service's SLOs: a PrometheusRule (SLI recordings, burn-rate alerts) in the service's
   * namespace, the canary gates' defaults and, unless `dashboard` is false, a Grafana dashboard.
   * @default none
   */
  readonly slo?: ServiceSloOptions;
  /** The Grafana dashboard (needs `slo`); `false` for none. @default a dashboard in "monitoring" when `slo` is set */
  readonly dashboard?: DashboardOptions | false;
}

/** The service as monitoring sees it. */
export interface MonitoredService {
  /** Service name. */
  readonly serviceName: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Labels of its objects (the monitor, rule and dashboard carry them too). */
  readonly serviceLabels: Record<string, string>;
  /** Labels of the Service a ServiceMonitor selects. */
  readonly serviceSelector: Record<string, string>;
  /** Labels of every pod of the service (all tracks) a PodMonitor selects. */
  readonly podSelector: Record<string, string>;
  /**
   * Whether the Service is still rendered by this app, asked at synthesis (a controller such as
   * Flagger may take it over and generate its own, which a ServiceMonitor cannot rely on).
   * @default always
   */
  readonly serviceRendered?: () => boolean;
  /** The metrics endpoint: port name (on the Service and on the pods) and path; undefined when the app exposes none. */
  readonly metrics?: { readonly portName: string; readonly port: number; readonly path: string };
}

/** Props of {@link ServiceMonitoring}. */
export interface ServiceMonitoringProps extends MonitoringOptions {
  /** The service. */
  readonly service: MonitoredService;
}

const registry = new WeakMap<IConstruct, ServiceMonitoring>();

/**
 * Everything Prometheus and Grafana need for one service, from one definition: a ServiceMonitor
 * (or PodMonitor) discoverable by kube-prometheus-stack, and, when SLOs are given, their
 * PrometheusRule and Grafana dashboard. The canary gates read their defaults from the same SLOs
 * (`ServiceMonitoring.of(service)?.canaryGate`).
 */
export class ServiceMonitoring extends Construct {
  /** The monitoring of `service` (the construct it was defined in), if any. */
  public static of(service: IConstruct): ServiceMonitoring | undefined {
    return registry.get(service);
  }

  /** The validated SLOs, when given. */
  public readonly slo?: ServiceSlo;
  /** The ServiceMonitor, when rendered. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The PodMonitor, when rendered. */
  public readonly podMonitor?: PodMonitor;
  /** The PodMonitor of the Istio sidecars' metrics, when `istioProxyMetrics`. */
  public readonly proxyMonitor?: PodMonitor;
  /** The SLO rules, when `slo` is set. */
  public readonly rule?: SloPrometheusRule;
  /** The dashboard, when rendered. */
  public readonly dashboard?: ServiceDashboard;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    v.props(this, props, 'ServiceMonitoringProps');
    const service = v.object(this, 'service', props.service, 'the monitored service ({ serviceName, namespace, … })');
    const discoveryLabels = v.labels(this, 'discoveryLabels', props.discoveryLabels ?? DEFAULT_DISCOVERY_LABELS);
    const podMonitor = v.optionalBoolean(this, 'podMonitor', props.podMonitor) ?? false;
    const serviceMonitor = v.optionalBoolean(this, 'serviceMonitor', props.serviceMonitor) ?? !podMonitor;
    if (serviceMonitor && podMonitor) fail(this, 'podMonitor', true, 'either serviceMonitor or podMonitor: both would scrape every pod twice');
    if ((serviceMonitor || podMonitor) && !service.metrics) {
      fail(this, serviceMonitor ? 'serviceMonitor' : 'podMonitor', true, 'a monitor only when the service exposes metrics (metrics is false)');
    }
    const scrape = { interval: props.interval ?? undefined, scrapeTimeout: props.scrapeTimeout ?? undefined, path: service.metrics?.path, istioMtls: props.istioMtls ?? undefined };
    if (serviceMonitor) {
      this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
        ...scrape, name: service.serviceName, selector: service.serviceSelector, port: service.metrics!.portName, discoveryLabels, labels: service.serviceLabels,
      });
    }
    if (serviceMonitor && service.serviceRendered) {
      const rendered = service.serviceRendered;
      validateAtSynthesis(this, () => {
        if (!rendered()) fail(this, 'serviceMonitor', true, `podMonitor: true instead: the Service ${service.serviceName} was handed over to a controller that generates its own Services (Flagger), so no Service of this app carries the port`);
      });
    }
    if (podMonitor) {
      this.podMonitor = new PodMonitor(this, 'PodMonitor', {
        ...scrape, name: service.serviceName, selector: service.podSelector, port: service.metrics!.portName, discoveryLabels, labels: service.serviceLabels,
      });
    }
    const allowScrapeFrom = v.optionalList(this, 'allowScrapeFrom', props.allowScrapeFrom).map((ns, i) => v.dnsLabel(this, `allowScrapeFrom[${i}]`, ns));
    if (allowScrapeFrom.length > 0) {
      if (!service.metrics) fail(this, 'allowScrapeFrom', allowScrapeFrom, 'no namespaces when the service exposes no metrics (metrics is false)');
      new ApiObject(this, 'ScrapeAuthorization', {
        ...CustomKinds.AuthorizationPolicy,
        metadata: { name: `${service.serviceName}-metrics-scrape`, labels: service.serviceLabels },
        spec: {
          selector: { matchLabels: service.podSelector },
          action: 'ALLOW',
          rules: [{
            from: [{ source: { namespaces: allowScrapeFrom } }],
            to: [{ operation: { methods: ['GET'], paths: [service.metrics.path], ports: [String(service.metrics.port)] } }],
          }],
        },
      });
    }
    if (v.optionalBoolean(this, 'istioProxyMetrics', props.istioProxyMetrics)) {
      this.proxyMonitor = new PodMonitor(this, 'ProxyMonitor', {
        name: `${service.serviceName}-istio-proxy`, selector: service.podSelector, port: 'http-envoy-prom', path: '/stats/prometheus',
        interval: props.interval ?? undefined, discoveryLabels, labels: service.serviceLabels,
      });
    }
    const dashboard = props.dashboard === false ? undefined : v.optionalObject(this, 'dashboard', props.dashboard, 'false, or an object of DashboardOptions') ?? {};
    if (v.isSet(props.slo)) {
      const slo = v.object(this, 'slo', props.slo, 'an object of ServiceSloOptions ({ availability?, latency?, periodDays?, … })');
      const grafanaUrl = dashboard && v.isSet(dashboard.grafanaUrl) ? v.text(this, 'dashboard.grafanaUrl', dashboard.grafanaUrl, 'an http(s) URL') : undefined;
      if (grafanaUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(grafanaUrl)) fail(this, 'dashboard.grafanaUrl', grafanaUrl, 'an http(s) URL without spaces');
      const dashboardUrl = slo.dashboardUrl ?? (grafanaUrl ? `${grafanaUrl.replace(/\/$/, '')}/d/${serviceDashboardUid(service.serviceName, service.namespace)}` : undefined);
      this.slo = ServiceSlo.define(this, 'slo', { ...slo, dashboardUrl }, service.serviceName, service.namespace);
      this.rule = new SloPrometheusRule(this, 'SloRule', { slo: this.slo, discoveryLabels, labels: service.serviceLabels });
    }
    if (dashboard && this.slo) {
      const { grafanaUrl: _url, ...dashboardProps } = dashboard;
      this.dashboard = new ServiceDashboard(this, 'Dashboard', { ...dashboardProps, slo: this.slo, labels: service.serviceLabels });
    } else if (v.isSet(props.dashboard) && props.dashboard !== false) {
      fail(this, 'dashboard', props.dashboard, 'a dashboard only together with slo (it shows the SLOs)');
    }
    registry.set(scope, this);
  }

  /** Defaults of the canary gates from the SLOs (empty without SLOs). */
  public get canaryGate(): Partial<SloCanaryGate> {
    return this.slo?.canaryGate() ?? {};
  }
}
