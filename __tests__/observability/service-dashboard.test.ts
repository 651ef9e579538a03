import { App, Chart } from 'cdk8s';
import { renderApp, ServiceDashboard, serviceDashboardModel, ServiceSlo } from '../../lib';
import { checkRules, promtoolSuite, writeRuleFile } from './promtool';

const SEL = 'reporter="destination",destination_service_name="user-service",destination_service_namespace="shop"';
const slo = ServiceSlo.define('test', 'slo', { availability: { targetPercent: 99.9 }, latency: { targetPercent: 99, thresholdMs: 500 } }, 'user-service', 'shop');

function renderDashboard(props: Partial<ConstructorParameters<typeof ServiceDashboard>[2]> = {}) {
  const app = new App();
  const chart = new Chart(app, 'c', { namespace: 'shop' });
  new ServiceDashboard(chart, 'd', { slo, ...props });
  return renderApp(app).flatMap((f) => f.objects.map((o) => o.manifest))[0];
}

const model: any = serviceDashboardModel(slo);
const targetsOf = (title: string) => model.panels.find((p: any) => p.title === title).targets.map((t: any) => [t.expr, t.legendFormat]);

describe('Grafana dashboard of a service', () => {
  test('a ConfigMap in monitoring with the sidecar label; the JSON is the model, byte-identical on every render', () => {
    const cm = renderDashboard({ folder: 'ecommerce' });
    expect(cm).toMatchObject({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'grafana-dashboard-shop-user-service', namespace: 'monitoring', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'ecommerce' } },
    });
    expect(Object.keys(cm.data)).toEqual(['shop-user-service.json']);
    expect(JSON.parse(cm.data['shop-user-service.json'])).toEqual(model);
    expect(renderDashboard({ folder: 'ecommerce' }).data).toEqual(cm.data);
    expect(renderDashboard({ namespace: 'grafana', discoveryLabels: { dashboards: 'platform' } }).metadata).toMatchObject({ namespace: 'grafana', labels: { dashboards: 'platform' } });
  });

  test('model: schemaVersion, uid, a Prometheus data-source variable, panels with unique ids inside the 24-column grid', () => {
    expect(model).toMatchObject({ uid: 'shop-user-service', title: 'user-service (shop)', schemaVersion: 39, editable: false });
    expect(model.templating.list).toEqual([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]);
    const ids = model.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of model.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets.length).toBeGreaterThan(0);
      expect(p.targets.map((t: any) => t.refId)).toEqual(p.targets.map((_: any, i: number) => String.fromCharCode(65 + i)));
    }
    expect(model.panels.map((p: any) => [p.type, p.title])).toEqual([
      ['timeseries', 'Request rate by version'],
      ['timeseries', 'Error ratio (5xx) by version'],
      ['timeseries', 'Latency P50 / P95 / P99 by version'],
      ['stat', 'requests-availability: error budget remaining (30d)'],
      ['stat', 'requests-availability: objective'],
      ['timeseries', 'requests-availability: burn rate (page ≥ 14.4, ticket ≥ 1)'],
      ['stat', 'requests-latency: error budget remaining (30d)'],
      ['stat', 'requests-latency: objective'],
      ['timeseries', 'requests-latency: burn rate (page ≥ 14.4, ticket ≥ 1)'],
    ]);
  });

  test('targets: rate, errors and latency quantiles split by destination_version (stable vs canary), budget and burn rate from the SLO recordings', () => {
    expect(targetsOf('Request rate by version')).toEqual([[`sum by (destination_version) (rate(istio_requests_total{${SEL}}[$__rate_interval]))`, '{{destination_version}}']]);
    expect(targetsOf('Error ratio (5xx) by version')[0][0]).toBe(`sum by (destination_version) (rate(istio_requests_total{${SEL},response_code=~"5.."}[$__rate_interval]))\n/\nsum by (destination_version) (rate(istio_requests_total{${SEL}}[$__rate_interval]))`);
    expect(targetsOf('Latency P50 / P95 / P99 by version')).toEqual([0.5, 0.95, 0.99].map((q) => [
      `histogram_quantile(${q}, sum by (le, destination_version) (rate(istio_request_duration_milliseconds_bucket{${SEL}}[$__rate_interval])))`,
      `P${Math.round(q * 100)} {{destination_version}}`,
    ]));
    const m = 'sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"';
    expect(targetsOf('requests-availability: error budget remaining (30d)')).toEqual([[`slo:period_error_budget_remaining:ratio{${m}}`, 'remaining']]);
    expect(targetsOf('requests-availability: burn rate (page ≥ 14.4, ticket ≥ 1)').map((t: string[]) => t[1])).toEqual(['burn rate (5m)', 'burn rate (30d)', 'burn rate (1h)', 'burn rate (6h)', 'burn rate (1d)', 'burn rate (3d)']);
  });

  test('a long service name keeps the uid within Grafana\'s 40 characters, stable', () => {
    const long = ServiceSlo.define('t', 'slo', { availability: { targetPercent: 99 } }, 'recommendation-engine-service', 'ecommerce-production');
    const uid = (serviceDashboardModel(long) as any).uid;
    expect(uid.length).toBeLessThanOrEqual(40);
    expect((serviceDashboardModel(long) as any).uid).toBe(uid);
  });
});

promtoolSuite('promtool check of the dashboard queries')('the dashboard queries are valid PromQL', () => {
  test('every target parses (checked by promtool as recording rules, $__rate_interval as 5m)', () => {
    const exprs = model.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr.replace(/\$__rate_interval/g, '5m')));
    const r = checkRules(writeRuleFile([{ name: 'dashboard', rules: exprs.map((expr: string, i: number) => ({ record: `dashboard:query:${i}`, expr })) }]));
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(r.status).toBe(0);
  });
});
