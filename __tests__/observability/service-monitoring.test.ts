import { App } from 'cdk8s';
import {
  CanaryRoute, ConfigurationError, defaultChecks, ManifestObject, MicroserviceChart, MicroserviceChartProps, MonitoringOptions, PlatformNamespace, renderApp, ServiceMonitoring,
} from '../../lib';
import { all, IMAGE, only } from '../helpers';

const SLO = { availability: { targetPercent: 99.9 }, latency: { targetPercent: 99, thresholdMs: 500 } };

function build(monitoring: MonitoringOptions, chart: Partial<MicroserviceChartProps> = {}) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'shop' });
  const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', monitoring, ...chart });
  return { app, svc };
}

function manifests(app: App): ManifestObject[] {
  return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
}

/** Every finding of every default check (schema against the Prometheus Operator CRDs included). */
function findings(app: App) {
  const objects = manifests(app);
  return defaultChecks().flatMap((c) => c.check(objects)).filter((f) => f.severity !== 'exempted');
}

describe('ServiceMonitor / PodMonitor of a MicroserviceChart', () => {
  test('default: a ServiceMonitor on the Service port named "http", discoverable by kube-prometheus-stack, valid against the CRD', () => {
    const { app } = build({});
    const objects = manifests(app).map((o) => o.manifest);
    const sm = only(objects, 'ServiceMonitor');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata).toMatchObject({ name: 'user-service', namespace: 'shop', labels: { 'release': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'user-service' } });
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'user-service' } },
      podTargetLabels: ['version'],
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
    expect(only(objects, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    expect(all(objects, 'PrometheusRule')).toHaveLength(0);
    expect(all(objects, 'ConfigMap')).toHaveLength(0);
    expect(findings(app)).toEqual([]);
  });

  test('a separate metrics port: the Service exposes it as "metrics" and the ServiceMonitor names it', () => {
    const { app } = build({ interval: '15s', scrapeTimeout: '10s', discoveryLabels: { prometheus: 'platform' } }, { metrics: { port: 9090, path: '/prometheus' } });
    const objects = manifests(app).map((o) => o.manifest);
    expect(only(objects, 'Service').spec.ports[1]).toEqual({ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' });
    const sm = only(objects, 'ServiceMonitor');
    expect(sm.metadata.labels).toMatchObject({ prometheus: 'platform' });
    expect(sm.metadata.labels.release).toBeUndefined();
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/prometheus', interval: '15s', scrapeTimeout: '10s', scheme: 'http' }]);
    expect(findings(app)).toEqual([]);
  });

  test('istioMtls: HTTPS with the certificates of Prometheus\' sidecar; allowScrapeFrom: an ALLOW policy for GET /metrics', () => {
    const { app } = build({ istioMtls: true, allowScrapeFrom: ['monitoring'] });
    const objects = manifests(app).map((o) => o.manifest);
    expect(only(objects, 'ServiceMonitor').spec.endpoints[0]).toEqual({
      port: 'http', path: '/metrics', interval: '30s', scheme: 'https',
      tlsConfig: { caFile: '/etc/prom-certs/root-cert.pem', certFile: '/etc/prom-certs/cert-chain.pem', keyFile: '/etc/prom-certs/key.pem', insecureSkipVerify: true },
    });
    expect(only(objects, 'AuthorizationPolicy', 'user-service-metrics-scrape').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'user-service' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { methods: ['GET'], paths: ['/metrics'], ports: ['8080'] } }] }],
    });
    expect(findings(app)).toEqual([]);
  });

  test('podMonitor instead, and the Istio sidecar\'s metrics (http-envoy-prom, /stats/prometheus)', () => {
    const { app } = build({ podMonitor: true, istioProxyMetrics: true }, { canary: { image: 'harbor.example.com/ecommerce/user-service:v1.3.0' } });
    const objects = manifests(app).map((o) => o.manifest);
    expect(all(objects, 'ServiceMonitor')).toHaveLength(0);
    const [app1, proxy] = all(objects, 'PodMonitor');
    expect(app1.metadata.name).toBe('user-service');
    expect(app1.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'user-service' } },
      podTargetLabels: ['version'],
      podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
    expect(proxy.metadata.name).toBe('user-service-istio-proxy');
    expect(proxy.spec.podMetricsEndpoints).toEqual([{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '30s', scheme: 'http' }]);
    expect(findings(app)).toEqual([]);
  });

  test('slo: PrometheusRule in the service namespace with the release label, dashboard ConfigMap in monitoring', () => {
    const { app, svc } = build({ slo: SLO });
    const objects = manifests(app).map((o) => o.manifest);
    const rule = only(objects, 'PrometheusRule');
    expect(rule.metadata).toMatchObject({ name: 'user-service-slo', namespace: 'shop', labels: { release: 'kube-prometheus-stack' } });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual([
      'sloth-slo-sli-recordings-user-service-requests-availability', 'sloth-slo-meta-recordings-user-service-requests-availability', 'sloth-slo-alerts-user-service-requests-availability',
      'sloth-slo-sli-recordings-user-service-requests-latency', 'sloth-slo-meta-recordings-user-service-requests-latency', 'sloth-slo-alerts-user-service-requests-latency',
    ]);
    const dashboard = only(objects, 'ConfigMap', 'grafana-dashboard-shop-user-service');
    expect(dashboard.metadata).toMatchObject({ namespace: 'monitoring', labels: { grafana_dashboard: '1' } });
    expect(ServiceMonitoring.of(svc)!.canaryGate).toEqual({ maxErrorRate: 0.01, maxP99Ms: 500, window: '5m', minSuccessRate: 99, maxRequestDurationMs: 500 });
    expect(findings(app)).toEqual([]);
  });

  test('dashboard.grafanaUrl links the dashboard from every alert (dashboard_url), unless the SLO names its own', () => {
    const linked = (slo: Record<string, unknown>) => only(manifests(build({ slo: { ...SLO, ...slo }, dashboard: { grafanaUrl: 'https://grafana.example.com/' } }).app).map((o) => o.manifest), 'PrometheusRule')
      .spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert).map((r: any) => r.annotations.dashboard_url);
    expect(linked({})).toEqual(Array(4).fill('https://grafana.example.com/d/shop-user-service'));
    expect(linked({ dashboardUrl: 'https://dash.example.com/x' })).toEqual(Array(4).fill('https://dash.example.com/x'));
    expect(() => build({ slo: SLO, dashboard: { grafanaUrl: 'grafana.example.com' } })).toThrow('[user-service/Monitoring] invalid dashboard.grafanaUrl: "grafana.example.com"; allowed: an http(s) URL without spaces');
  });

  test('Flagger\'s analysis takes its thresholds from the SLO unless given', () => {
    const { app, svc } = build({ podMonitor: true, slo: { availability: { targetPercent: 99.5 }, latency: { targetPercent: 95, thresholdMs: 250 }, canaryBurnRate: 2 } });
    new CanaryRoute(svc, 'Route', { service: svc, flagger: {} });
    const metrics = only(manifests(app).map((o) => o.manifest), 'Canary').spec.analysis.metrics;
    expect(metrics).toEqual([
      { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
      { name: 'request-duration', thresholdRange: { max: 250 }, interval: '1m' },
    ]);
    const explicit = build({ podMonitor: true, slo: SLO });
    new CanaryRoute(explicit.svc, 'Route', { service: explicit.svc, flagger: { minSuccessRate: 95, maxRequestDurationMs: 1000 } });
    expect(only(manifests(explicit.app).map((o) => o.manifest), 'Canary').spec.analysis.metrics.map((m: any) => m.thresholdRange)).toEqual([{ min: 95 }, { max: 1000 }]);
  });

  test('a ServiceMonitor on a service whose Service Flagger took over is refused at synthesis, pointing to podMonitor', () => {
    const { app, svc } = build({});
    new CanaryRoute(svc, 'Route', { service: svc, flagger: {} });
    expect(() => app.synth()).toThrow(/user-service\/Monitoring\] invalid serviceMonitor: true; allowed: podMonitor: true instead: the Service user-service was handed over/);
  });

  test.each([
    [{ serviceMonitor: true, podMonitor: true }, {}, 'user-service/Monitoring', 'podMonitor', 'either serviceMonitor or podMonitor'],
    [{}, { metrics: false }, 'user-service/Monitoring', 'serviceMonitor', 'only when the service exposes metrics'],
    [{ dashboard: { namespace: 'grafana' } }, {}, 'user-service/Monitoring', 'dashboard', 'only together with slo'],
    [{ interval: '30 seconds' }, {}, 'user-service/Monitoring/ServiceMonitor', 'interval', 'a Prometheus duration'],
    [{ interval: '10s', scrapeTimeout: '20s' }, {}, 'user-service/Monitoring/ServiceMonitor', 'scrapeTimeout', 'no longer than the interval'],
    [{ discoveryLabels: { release: 'not valid!' } }, {}, 'user-service/Monitoring', 'discoveryLabels["release"]', 'a Kubernetes label value'],
    [{ allowScrapeFrom: ['Monitoring'] }, {}, 'user-service/Monitoring', 'allowScrapeFrom[0]', 'an RFC 1123 DNS label'],
    [{ slo: { latency: { targetPercent: 99, thresholdMs: 300 } } }, {}, 'user-service/Monitoring', 'slo.latency.thresholdMs', 'a bucket bound'],
    [{ serviceMonitor: 'yes' }, {}, 'user-service/Monitoring', 'serviceMonitor', 'true or false'],
    ['on', {}, 'user-service', 'monitoring', 'an object of MonitoringOptions'],
  ])('refused: %j %j → %s %s', (monitoring, chart, path, field, allowed) => {
    try {
      build(monitoring as any, chart as any);
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationError);
      expect((e as ConfigurationError).constructPath).toBe(path);
      expect((e as ConfigurationError).field).toBe(field);
      expect((e as ConfigurationError).allowed).toContain(allowed);
    }
  });

  test('null in optional fields is the same as leaving them out', () => {
    const { app } = build({ serviceMonitor: null, podMonitor: null, interval: null, slo: null, dashboard: null, discoveryLabels: null, allowScrapeFrom: null, istioMtls: null } as any);
    expect(only(manifests(app).map((o) => o.manifest), 'ServiceMonitor').spec.endpoints[0].interval).toBe('30s');
  });
});
