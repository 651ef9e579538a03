import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as v from '../core/validators';
import { contentHash } from '../core/hash';
import { BURN_RATE_ALERTS, formatNumber, ServiceSlo } from './service-slo';

/** The label Grafana's dashboard sidecar (kube-prometheus-stack) discovers ConfigMaps by. */
export const GRAFANA_DASHBOARD_LABEL: Readonly<Record<string, string>> = { grafana_dashboard: '1' };

/** Props of {@link ServiceDashboard}. */
export interface ServiceDashboardProps {
  /** The service's SLOs: the dashboard shows its traffic and, per objective, budget and burn rate. */
  readonly slo: ServiceSlo;
  /** Namespace of the ConfigMap: where Grafana's sidecar looks. @default "monitoring" */
  readonly namespace?: string;
  /** Name of the ConfigMap. @default "grafana-dashboard-<namespace>-<service>" */
  readonly name?: string;
  /** Labels the sidecar discovers dashboards by. @default { grafana_dashboard: "1" } */
  readonly discoveryLabels?: Record<string, string>;
  /** Further labels of the ConfigMap. @default none */
  readonly labels?: Record<string, string>;
  /** Grafana folder (annotation `grafana_folder`, the chart's usual `folderAnnotation`). @default none */
  readonly folder?: string;
}

interface Target { readonly expr: string; readonly legendFormat: string }

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** The Grafana dashboard model of one service (schemaVersion 39), built from its SLOs. */
export function serviceDashboardModel(slo: ServiceSlo): Record<string, unknown> {
  const sel = slo.selector;
  const rate = (metric: string, extra = '') => `rate(${metric}{${sel}${extra}}[$__rate_interval])`;
  const panels: Array<Record<string, unknown>> = [];
  let y = 0;
  const add = (type: 'timeseries' | 'stat', title: string, unit: string, targets: Target[], w = 12, extra: Record<string, unknown> = {}) => {
    const x = panels.length > 0 && (panels[panels.length - 1].gridPos as any).x + (panels[panels.length - 1].gridPos as any).w + w <= 24
      ? (panels[panels.length - 1].gridPos as any).x + (panels[panels.length - 1].gridPos as any).w : 0;
    if (x === 0 && panels.length > 0) y += 8;
    panels.push({
      id: panels.length + 1,
      type,
      title,
      datasource: DATASOURCE,
      gridPos: { h: 8, w, x, y },
      fieldConfig: { defaults: { unit, ...(extra.defaults as object ?? {}) }, overrides: [] },
      options: type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
      targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr: t.expr, legendFormat: t.legendFormat })),
    });
  };

  // Traffic, stable vs canary: by the destination's `version` label (Istio's destination_version).
  add('timeseries', 'Request rate by version', 'reqps', [
    { expr: `sum by (destination_version) (${rate('istio_requests_total')})`, legendFormat: '{{destination_version}}' },
  ]);
  add('timeseries', 'Error ratio (5xx) by version', 'percentunit', [
    { expr: `sum by (destination_version) (${rate('istio_requests_total', ',response_code=~"5.."')})\n/\nsum by (destination_version) (${rate('istio_requests_total')})`, legendFormat: '{{destination_version}}' },
  ]);
  add('timeseries', 'Latency P50 / P95 / P99 by version', 'ms', [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le, destination_version) (${rate('istio_request_duration_milliseconds_bucket')}))`,
    legendFormat: `P${Math.round(q * 100)} {{destination_version}}`,
  })), 24);
  for (const o of slo.objectives) {
    const m = slo.matchersOf(o);
    const thresholds = { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] };
    add('stat', `${o.name}: error budget remaining (${slo.periodDays}d)`, 'percentunit', [
      { expr: `slo:period_error_budget_remaining:ratio{${m}}`, legendFormat: 'remaining' },
    ], 6, { defaults: { thresholds, min: 0, max: 1 } });
    add('stat', `${o.name}: objective`, 'percentunit', [
      { expr: `slo:objective:ratio{${m}}`, legendFormat: `${o.description}` },
    ], 6, { defaults: { decimals: 3 } });
    add('timeseries', `${o.name}: burn rate (page ≥ ${formatNumber(BURN_RATE_ALERTS.page[0].factor)}, ticket ≥ ${formatNumber(BURN_RATE_ALERTS.ticket[1].factor)})`, 'short', [
      { expr: `slo:current_burn_rate:ratio{${m}}`, legendFormat: 'burn rate (5m)' },
      { expr: `slo:period_burn_rate:ratio{${m}}`, legendFormat: `burn rate (${slo.period})` },
      ...['1h', '6h', '1d', '3d'].map((w) => ({
        expr: `slo:sli_error:ratio_rate${w}{${m}}\n/ on (sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{${m}}`,
        legendFormat: `burn rate (${w})`,
      })),
    ], 12);
  }

  return {
    uid: serviceDashboardUid(slo.service, slo.namespace),
    title: `${slo.service} (${slo.namespace})`,
    description: `Traffic, latency and SLOs of ${slo.service}: ${slo.objectives.map((o) => o.description).join('; ')}.`,
    tags: ['cdk8s-microservices', 'slo', slo.namespace],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, options: [] }],
    },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** The dashboard's uid: stable, at most 40 characters (Grafana's limit), the same for the same service and namespace. */
export function serviceDashboardUid(service: string, namespace: string): string {
  const readable = `${namespace}-${service}`;
  return readable.length <= 40 ? readable : `${readable.slice(0, 29)}-${contentHash(readable)}`;
}

/**
 * A Grafana dashboard of one service as a ConfigMap that Grafana's sidecar (kube-prometheus-stack)
 * loads: request rate, error ratio and P50/P95/P99 latency, stable vs canary, and per SLO the error
 * budget remaining and the burn rates the alerts fire on. The JSON is rendered with a fixed key
 * order and indentation, so the same SLO always gives the same bytes.
 */
export class ServiceDashboard extends Construct {
  /** The dashboard model. */
  public readonly model: Record<string, unknown>;
  /** The ConfigMap's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    v.props(this, props, 'ServiceDashboardProps');
    const slo = v.instance(this, 'slo', props.slo, ServiceSlo, 'a ServiceSlo (ServiceSlo.define(...))');
    const namespace = v.dnsLabel(this, 'namespace', props.namespace ?? 'monitoring');
    this.name = v.dnsSubdomain(this, 'name', props.name ?? `grafana-dashboard-${slo.namespace}-${slo.service}`);
    const folder = v.optionalText(this, 'folder', props.folder, 'a Grafana folder name');
    this.model = serviceDashboardModel(slo);
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.name,
        namespace,
        labels: { ...v.labels(this, 'labels', props.labels), ...v.labels(this, 'discoveryLabels', props.discoveryLabels ?? GRAFANA_DASHBOARD_LABEL) },
        annotations: folder ? { grafana_folder: folder } : undefined,
      },
      data: { [`${slo.namespace}-${slo.service}.json`]: JSON.stringify(this.model, null, 2) + '\n' },
    });
  }
}
