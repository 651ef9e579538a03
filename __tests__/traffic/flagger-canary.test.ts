import { App } from 'cdk8s';
import { CanaryRoute, CanaryRouteProps, canaryQueriesForFlagger, defaultChecks, istioRequestQueries, isAllowed, KedaRedisScaler, Match, MeshSecurity, MicroserviceChart, PlatformNamespace, renderApp } from '../../lib';
import { all, IMAGE, only, render } from '../helpers';

function build(route: Omit<CanaryRouteProps, 'service'>, chartProps: Record<string, unknown> = {}) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'shop' });
  const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', ...chartProps });
  new CanaryRoute(svc, 'Route', { service: svc, ...route });
  return app;
}

describe('Flagger', () => {
  test('the Canary of seed 004 §12.3.4, valid against the Flagger CRD; no static routes and no Service of our own', () => {
    const app = build({
      flagger: {
        interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, minSuccessRate: 99, maxRequestDurationMs: 500,
        loadTest: { url: 'http://flagger-loadtester/', cmd: 'hey -z 1m -q 10 -c 2 http://user-service-canary/' },
      },
      gateways: ['istio-system/public-gateway'],
      publicHosts: ['user-api.example.com'],
    });
    const objects = render(app);
    const canary = only(objects, 'Canary');
    expect(canary.apiVersion).toBe('flagger.app/v1beta1');
    expect(canary.spec).toEqual({
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'user-service' },
      autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'user-service' },
      progressDeadlineSeconds: 600,
      service: { name: 'user-service', port: 80, targetPort: 8080, portName: 'http', gateways: ['mesh', 'istio-system/public-gateway'], hosts: ['user-service', 'user-api.example.com'] },
      analysis: {
        interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
          { name: 'request-duration', thresholdRange: { max: 500 }, interval: '1m' },
        ],
        webhooks: [{ name: 'load-test', url: 'http://flagger-loadtester/', timeout: '5s', metadata: { cmd: 'hey -z 1m -q 10 -c 2 http://user-service-canary/' } }],
      },
    });
    expect(all(objects, 'VirtualService')).toHaveLength(0);
    expect(all(objects, 'DestinationRule')).toHaveLength(0);
    expect(all(objects, 'Service')).toHaveLength(0);
    const manifests = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    expect(defaultChecks().find((c) => c.name === 'schema')!.check(manifests)).toEqual([]);
  });

  test('autoscalerRef follows the autoscaler: a KEDA ScaledObject, or none', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'order-service', { image: IMAGE, autoscaling: false });
    new KedaRedisScaler(svc, 'Queue', { service: svc, redis: { address: 'redis:6379', listName: 'order-queue', listLength: 10 } });
    new CanaryRoute(svc, 'Route', { service: svc, flagger: {} });
    expect(only(render(app), 'Canary').spec.autoscalerRef).toEqual({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'order-service' });
    const fixed = build({ flagger: {} }, { autoscaling: false });
    expect(only(render(fixed), 'Canary').spec.autoscalerRef).toBeUndefined();
  });

  test('stepWeights, A/B matches with iterations, mirroring', () => {
    expect(only(render(build({ flagger: { stepWeights: [5, 20, 50] } })), 'Canary').spec.analysis).toMatchObject({ stepWeights: [5, 20, 50] });
    const ab = only(render(build({ flagger: { match: [Match.header('x-user-type', 'tester')], iterations: 10 } })), 'Canary').spec.analysis;
    expect(ab).toMatchObject({ iterations: 10, match: [{ headers: { 'x-user-type': { exact: 'tester' } } }] });
    expect(ab.stepWeight).toBeUndefined();
    const mirror = only(render(build({ flagger: { mirror: true, iterations: 10 } })), 'Canary').spec.analysis;
    expect(mirror).toMatchObject({ mirror: true, mirrorWeight: 100, iterations: 10 });
  });

  test.each<[string, Omit<CanaryRouteProps, 'service'>, Record<string, unknown>, string | RegExp]>([
    ['maxWeight not a multiple of stepWeight', { flagger: { maxWeight: 50, stepWeight: 15 } }, {}, '[user-service/Route/Flagger] invalid maxWeight: 50; allowed: a multiple of stepWeight (15)'],
    ['success rate out of range', { flagger: { minSuccessRate: 120 } }, {}, /invalid minSuccessRate: 120; allowed: a number from 0 to 100/],
    ['threshold 0', { flagger: { threshold: 0 } }, {}, /invalid threshold: 0; allowed: an integer from 1 to 100/],
    ['stepWeights not ascending', { flagger: { stepWeights: [20, 10] } }, {}, /invalid stepWeights\[1\]: 10; allowed: a weight above the previous step \(20\)/],
    ['static weights together with Flagger', { flagger: {}, weights: { v1: 100 } }, {}, /invalid weights: .*; allowed: nothing: with flagger, Flagger generates the routes/],
    ['a canary track of our own', { flagger: {} }, { canary: { image: IMAGE } }, /allowed: a service without its own canary track/],
    ['A/B match without iterations', { flagger: { match: [Match.header('x-a', 'b')] } }, {}, /invalid iterations: undefined/],
  ])('refuses %s', (_n, route, chartProps, message) => {
    expect(() => build(route, chartProps)).toThrow(message);
  });

  test('refuses a static VirtualService for a host Flagger owns', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE });
    new CanaryRoute(svc, 'Flagger', { service: svc, flagger: {} });
    expect(() => new CanaryRoute(svc, 'Static', { service: svc })).toThrow(/allowed: a host without a VirtualService yet \(user-service\/Flagger already routes default\/user-service\)/);
  });
});

describe('Flagger primary pods are covered by the policies', () => {
  // Flagger runs the service as `<name>-primary`, a copy of the Deployment whose pods keep every
  // label but `app`, which becomes `<name>-primary`. Policies selecting `app: <name>` would leave
  // those pods, which serve all stable traffic, outside every allow rule of a deny-all namespace.
  const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

  function platform() {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
    const orders = new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop' });
    const users = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', callers: ['order-service'] });
    // The mesh policies are defined before Flagger is attached: selectors are read at synthesis.
    new MeshSecurity(app, 'mesh', { namespace: 'shop' });
    new CanaryRoute(users, 'Route', { service: users, flagger: {} });
    return { objects: render(app), orders, users };
  }

  test('NetworkPolicies, AuthorizationPolicy and PDB select the primary pods as well as the canary ones', () => {
    const { objects } = platform();
    const canaryPods = only(objects, 'Deployment', 'user-service').spec.template.metadata.labels;
    const primaryPods = { ...canaryPods, app: 'user-service-primary' };
    const callerPods = only(objects, 'Deployment', 'order-service').spec.template.metadata.labels;

    const policy = only(objects, 'NetworkPolicy', 'user-service');
    for (const pods of [canaryPods, primaryPods]) {
      expect(selects(policy.spec.podSelector.matchLabels, pods)).toBe(true);
      expect(selects(only(objects, 'PodDisruptionBudget', 'user-service').spec.selector.matchLabels, pods)).toBe(true);
      // The caller may send to them, and they admit it.
      const callerEgress = only(objects, 'NetworkPolicy', 'order-service').spec.egress;
      expect(callerEgress.some((r: any) => r.to.some((peer: any) => peer.podSelector && selects(peer.podSelector.matchLabels, pods)))).toBe(true);
      expect(policy.spec.ingress.some((r: any) => r.from.some((peer: any) => peer.podSelector && selects(peer.podSelector.matchLabels, callerPods)))).toBe(true);
      // The mesh lets order-service call them and nobody else.
      const workload = { namespace: 'shop', labels: pods };
      expect(isAllowed(objects, workload, { principal: 'cluster.local/ns/shop/sa/order-service', method: 'GET', path: '/' })).toBe(true);
      expect(isAllowed(objects, workload, { principal: 'cluster.local/ns/shop/sa/intruder', method: 'GET', path: '/' })).toBe(false);
    }
  });

  test('services without Flagger keep selecting their app label', () => {
    const { objects } = platform();
    expect(only(objects, 'NetworkPolicy', 'order-service').spec.podSelector).toEqual({ matchLabels: { app: 'order-service' } });
    expect(only(objects, 'NetworkPolicy', 'user-service').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'user-service' } });
    expect(only(objects, 'AuthorizationPolicy', 'user-service').spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'user-service' } });
  });

  test('the output passes every check', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
    const users = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
    new CanaryRoute(users, 'Route', { service: users, flagger: {} });
    new MeshSecurity(app, 'mesh', { namespace: 'shop' });
    const manifests = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    expect(defaultChecks().flatMap((c) => c.check(manifests)).filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('Flagger complete: providers, the service block, MetricTemplates, gates, alerts, session affinity', () => {
  const checked = (app: App) => {
    const manifests = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    return defaultChecks().flatMap((c) => c.check(manifests));
  };

  test('Istio: retries, timeout and circuit breaker kept in the service block; the command\'s own metrics as MetricTemplates; gates, alerts, affinity', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
    new CanaryRoute(svc, 'Route', {
      service: svc,
      defaultRoute: { timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: ['5xx', 'reset'] } },
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s' }, tls: { mode: 'ISTIO_MUTUAL' } },
      flagger: {
        stepWeights: [5, 20, 50], minSuccessRate: 99, maxRequestDurationMs: 500, metricsInterval: '2m',
        prometheus: { address: 'http://prometheus.monitoring:9090' },
        customMetrics: [{ name: 'queue-depth', query: 'max(redis_list_length{list="orders"})', max: 1000 }],
        confirmRollout: { url: 'http://flagger-loadtester.test/gate/check' },
        preRollout: [{ url: 'http://flagger-loadtester.test/', metadata: { type: 'bash', cmd: 'curl -sf http://user-service-canary.shop/ready' } }],
        confirmPromotion: { url: 'http://flagger-loadtester.test/gate/approve', timeout: '1m' },
        alerts: [{ type: 'slack', addressSecret: 'slack-webhook', channel: 'deploys', severity: 'warn' }],
        sessionAffinity: { cookieName: 'canary-session', maxAgeSeconds: 3600 },
      },
    });
    const objects = render(app);
    const canary = only(objects, 'Canary');
    expect(canary.spec.provider).toBe('istio');
    expect(canary.spec.service).toEqual({
      name: 'user-service', port: 80, targetPort: 8080, portName: 'http',
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s' }, tls: { mode: 'ISTIO_MUTUAL' } },
    });
    expect(canary.spec.analysis.metrics).toEqual([
      { name: 'error-ratio', templateRef: { name: 'user-service-error-ratio' }, thresholdRange: { max: 0.01 }, interval: '2m' },
      { name: 'latency-p99', templateRef: { name: 'user-service-latency-p99' }, thresholdRange: { max: 500 }, interval: '2m' },
      { name: 'queue-depth', templateRef: { name: 'user-service-queue-depth' }, thresholdRange: { max: 1000 }, interval: '2m' },
    ]);
    // One definition: the MetricTemplates hold the command's queries with Flagger's variables.
    const flaggerQueries = canaryQueriesForFlagger();
    expect(only(objects, 'MetricTemplate', 'user-service-error-ratio').spec).toEqual({ provider: { type: 'prometheus', address: 'http://prometheus.monitoring:9090' }, query: flaggerQueries.errorRatio });
    expect(flaggerQueries.errorRatio).toBe(istioRequestQueries('reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"', '{{ interval }}').errorRatio);
    expect(flaggerQueries.errorRatio).toContain('response_code=~"5.."}[{{ interval }}]');
    expect(only(objects, 'MetricTemplate', 'user-service-latency-p99').spec.query).toMatch(/^histogram_quantile\(0\.99, .*istio_request_duration_milliseconds_bucket\{.*destination_workload="\{\{ target \}\}"/);
    expect(only(objects, 'MetricTemplate', 'user-service-queue-depth').spec.query).toBe('max(redis_list_length{list="orders"})');
    expect(canary.spec.analysis.webhooks).toEqual([
      { name: 'confirm-rollout', type: 'confirm-rollout', url: 'http://flagger-loadtester.test/gate/check', timeout: '30s' },
      { name: 'pre-rollout-1', type: 'pre-rollout', url: 'http://flagger-loadtester.test/', timeout: '30s', metadata: { type: 'bash', cmd: 'curl -sf http://user-service-canary.shop/ready' } },
      { name: 'confirm-promotion', type: 'confirm-promotion', url: 'http://flagger-loadtester.test/gate/approve', timeout: '1m' },
    ]);
    expect(canary.spec.analysis.alerts).toEqual([{ name: 'slack', severity: 'warn', providerRef: { name: 'user-service-slack' } }]);
    expect(only(objects, 'AlertProvider').spec).toEqual({ type: 'slack', channel: 'deploys', username: 'flagger', secretRef: { name: 'slack-webhook' } });
    expect(canary.spec.analysis.sessionAffinity).toEqual({ cookieName: 'canary-session', maxAge: 3600 });
    expect(checked(app)).toEqual([]);
  });

  test('nginx: the canary is derived from the chart\'s Ingress (ingressRef)', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', ingress: { host: 'users.example.com', tlsSecretName: 'users-tls' } });
    new CanaryRoute(svc, 'Route', { service: svc, flagger: { provider: 'nginx', match: [Match.header('x-canary', 'always')], iterations: 10 } });
    const canary = only(render(app), 'Canary');
    expect(canary.spec.provider).toBe('nginx');
    expect(canary.spec.ingressRef).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'user-service' });
    expect(canary.spec.service).toEqual({ name: 'user-service', port: 80, targetPort: 8080, portName: 'http' });
    expect(checked(app)).toEqual([]);
  });

  test('gatewayapi:v1: the gateways become the HTTPRoute\'s gatewayRefs, the public hosts its hostnames', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
    new CanaryRoute(svc, 'Route', {
      service: svc, gateways: ['gateway-system/public'], publicHosts: ['users.example.com'],
      flagger: { provider: 'gatewayapi:v1', sessionAffinity: { cookieName: 'canary-session' } },
    });
    const canary = only(render(app), 'Canary');
    expect(canary.spec.provider).toBe('gatewayapi:v1');
    expect(canary.spec.service.gatewayRefs).toEqual([{ name: 'public', namespace: 'gateway-system' }]);
    expect(canary.spec.service.hosts).toEqual(['users.example.com']);
    expect(canary.spec.service.gateways).toBeUndefined();
    expect(canary.spec.analysis.sessionAffinity).toEqual({ cookieName: 'canary-session' });
    expect(checked(app)).toEqual([]);
  });

  test.each<[string, Omit<CanaryRouteProps, 'service'>, Record<string, unknown>, string | RegExp]>([
    ['an unknown provider', { flagger: { provider: 'linkerd' as any } }, {}, '[user-service/Route/Flagger] invalid provider: "linkerd"; allowed: one of "istio", "nginx", "gatewayapi:v1"'],
    ['an Istio traffic policy with nginx', { trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } }, flagger: { provider: 'nginx' } }, { ingress: { host: 'u.example.com' } },
      /invalid trafficPolicy: .*; allowed: nothing with provider "nginx": it is an Istio setting/],
    ['nginx without an Ingress', { flagger: { provider: 'nginx' } }, {}, /invalid provider: "nginx"; allowed: "nginx" only for a service with an Ingress/],
    ['session affinity with nginx', { flagger: { provider: 'nginx', sessionAffinity: { cookieName: 'c' } } }, { ingress: { host: 'u.example.com' } }, /invalid sessionAffinity: .*allowed: nothing with provider "nginx"/],
    ['gatewayapi without gateways', { flagger: { provider: 'gatewayapi:v1' } }, {}, /invalid gateways: undefined; allowed: with provider "gatewayapi:v1", at least one Gateway/],
    ['fault injection carried to Flagger', { defaultRoute: { fault: { abort: { httpStatus: 503, percentage: 1 } } }, flagger: {} }, {}, /invalid defaultRoute\.fault: .*allowed: timeout, retries and rewriteUri only/],
    ['a malformed retry condition', { defaultRoute: { retries: { attempts: 2, retryOn: ['sometimes'] } }, flagger: {} }, {}, /invalid defaultRoute\.retries\.retryOn\[0\]: "sometimes"/],
    ['custom metrics without Prometheus', { flagger: { customMetrics: [{ name: 'q', query: 'up', max: 1 }] } }, {}, /invalid customMetrics: .*allowed: custom metrics together with prometheus/],
    ['a custom metric without bounds', { flagger: { prometheus: { address: 'http://p:9090' }, customMetrics: [{ name: 'q', query: 'up' }] } }, {}, /invalid customMetrics\[0\]: "q"; allowed: a metric with a bound/],
    ['a custom metric named like a built-in one', { flagger: { prometheus: { address: 'http://p:9090' }, customMetrics: [{ name: 'error-ratio', query: 'up', max: 1 }] } }, {}, /invalid customMetrics\[0\]\.name: "error-ratio"/],
    ['a gate without a URL', { flagger: { confirmPromotion: { url: 'gate' } } }, {}, /invalid confirmPromotion\.url: "gate"; allowed: an http\(s\):\/\/ URL/],
    ['a gate timeout Flagger cannot parse', { flagger: { confirmRollout: { url: 'http://g/', timeout: '1h' } } }, {}, /invalid confirmRollout\.timeout: "1h"; allowed: a duration in whole seconds or minutes/],
    ['an unknown alert type', { flagger: { alerts: [{ type: 'pager' as any, addressSecret: 's' }] } }, {}, 'invalid alerts[0].type: "pager"; allowed: one of "slack", "msteams", "discord", "rocket", "gchat"'],
    ['an alert without its Secret', { flagger: { alerts: [{ type: 'slack' } as any] } }, {}, /invalid alerts\[0\]\.addressSecret: undefined/],
    ['a null session affinity cookie', { flagger: { sessionAffinity: { cookieName: null as any } } }, {}, /invalid sessionAffinity\.cookieName: null/],
  ])('refuses %s', (_n, route, chartProps, message) => {
    expect(() => build(route, chartProps)).toThrow(message);
  });
});
