import { App, Chart } from 'cdk8s';
import {
  ArgoCdApplication, ArgoRollout, ArgoRolloutProps, CanaryRoute, CanaryRouteProps, canaryQueries, defaultChecks, KedaRedisScaler, MeshSecurity,
  MicroserviceChart, PlatformNamespace, renderApp, RolloutStep, ServiceVpa,
} from '../../lib';
import { all, IMAGE, only, render } from '../helpers';

const PROMETHEUS = 'http://prometheus.monitoring:9090';

function build(route: Omit<CanaryRouteProps, 'service'>, chartProps: Record<string, unknown> = {}) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
  const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', ...chartProps });
  new CanaryRoute(svc, 'Route', { service: svc, ...route });
  new MeshSecurity(app, 'mesh', { namespace: 'shop' });
  return app;
}

function findings(app: App) {
  const manifests = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
  return defaultChecks().flatMap((c) => c.check(manifests));
}

describe('Argo Rollouts canary over the Istio subsets', () => {
  const app = build({
    argoRollout: { analysis: { prometheusAddress: PROMETHEUS, maxErrorRate: 0.01, maxP99Ms: 500, window: '2m' } },
    defaultRoute: { timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: ['5xx'] } },
    trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s' } },
    gateways: ['istio-system/public-gateway'],
    publicHosts: ['users.example.com'],
  });
  const objects = render(app);

  test('the route exposes its Rollout', () => {
    const route = app.node.findAll().find((c): c is CanaryRoute => c instanceof CanaryRoute)!;
    expect(route.argoRollout).toBeInstanceOf(ArgoRollout);
    expect(route.argoRollout!.analysisTemplateName).toBe('user-service-canary-health');
  });

  test('a Rollout referencing the Deployment, seed 004\'s steps with analysis, Istio subset routing', () => {
    const rollout = only(objects, 'Rollout', 'user-service');
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'user-service', scaleDown: 'progressively' });
    expect(rollout.spec.selector).toEqual({ matchLabels: only(objects, 'Deployment').spec.selector.matchLabels });
    expect(rollout.spec.replicas).toBeUndefined(); // the HPA owns it
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({
      istio: {
        virtualService: { name: 'user-service', routes: ['primary'] },
        destinationRule: { name: 'user-service', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    });
    const analysis = {
      analysis: {
        templates: [{ templateName: 'user-service-canary-health' }],
        args: [{ name: 'service', value: 'user-service.shop.svc.cluster.local' }, { name: 'canary-version', value: 'v1.2.3' }],
      },
    };
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 5 }, { pause: { duration: '5m' } }, analysis,
      { setWeight: 20 }, { pause: { duration: '5m' } }, analysis,
      { setWeight: 50 }, { pause: { duration: '5m' } }, analysis,
    ]);
  });

  test('the DestinationRule has the stable and canary subsets, the VirtualService route "primary" both destinations, timeout and retries', () => {
    const dr = only(objects, 'DestinationRule', 'user-service');
    expect(dr.spec.subsets).toEqual([{ name: 'stable', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v1' } }]);
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s' });
    const vs = only(objects, 'VirtualService', 'user-service');
    expect(vs.spec.hosts).toEqual(['user-service', 'users.example.com']);
    expect(vs.spec.gateways).toEqual(['mesh', 'istio-system/public-gateway']);
    expect(vs.spec.http).toEqual([{
      name: 'primary',
      route: [{ destination: { host: 'user-service', subset: 'stable' }, weight: 100 }, { destination: { host: 'user-service', subset: 'canary' }, weight: 0 }],
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' },
    }]);
  });

  test('the AnalysisTemplate holds the canary command\'s queries and bounds', () => {
    const template = only(objects, 'AnalysisTemplate', 'user-service-canary-health');
    const q = canaryQueries('{{args.service}}', '{{args.canary-version}}', '2m');
    expect(template.spec).toEqual({
      args: [{ name: 'service' }, { name: 'canary-version' }],
      metrics: [
        { name: 'error-ratio', count: 1, failureLimit: 0, successCondition: 'result[0] <= 0.01', failureCondition: 'result[0] > 0.01', provider: { prometheus: { address: PROMETHEUS, query: q.errorRatio } } },
        { name: 'latency-p99', count: 1, failureLimit: 0, successCondition: 'result[0] <= 500', failureCondition: 'result[0] > 500', provider: { prometheus: { address: PROMETHEUS, query: q.p99Ms } } },
      ],
    });
    expect(q.errorRatio).toContain('destination_service="{{args.service}}",destination_version="{{args.canary-version}}",reporter="destination",response_code=~"5.."}[2m]');
  });

  test('bounds not given come from the service\'s SLO (monitoring.slo), as for Flagger and the canary command', () => {
    const slo = build({ argoRollout: { analysis: { prometheusAddress: PROMETHEUS } } }, {
      monitoring: { slo: { availability: { targetPercent: 99.9 }, latency: { targetPercent: 99, thresholdMs: 250 }, canaryBurnRate: 20 } },
    });
    const metrics = only(render(slo), 'AnalysisTemplate', 'user-service-canary-health').spec.metrics;
    // 0.1 % budget burnt at 20×: at most 2 % errors; P99 within the latency threshold.
    expect(metrics.map((m: any) => m.successCondition)).toEqual(['result[0] <= 0.02', 'result[0] <= 250']);
  });

  test('the migration path: HPA retargeted to the Rollout, the Deployment without replicas', () => {
    expect(only(objects, 'HorizontalPodAutoscaler', 'user-service').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'user-service' });
    expect(only(objects, 'Deployment', 'user-service').spec.replicas).toBeUndefined();
    expect(all(objects, 'Canary')).toHaveLength(0);
  });

  test('every object is valid (Rollout and AnalysisTemplate CRDs, Istio, cross-references, policies)', () => {
    expect(findings(app)).toEqual([]);
  });
});

describe('Argo Rollouts scaling and blue/green', () => {
  test('a fixed replica count moves from the Deployment to the Rollout', () => {
    const app = build({ argoRollout: { steps: [RolloutStep.setWeight(10), RolloutStep.pause(), RolloutStep.setWeight(50), RolloutStep.pause('10m')], scaleDown: 'onsuccess' } }, { autoscaling: false, replicas: 3 });
    const objects = render(app);
    const rollout = only(objects, 'Rollout');
    expect(rollout.spec.replicas).toBe(3);
    expect(rollout.spec.workloadRef.scaleDown).toBe('onsuccess');
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '10m' } }]);
    expect(all(objects, 'AnalysisTemplate')).toHaveLength(0);
    expect(findings(app)).toEqual([]);
  });

  test('a KEDA ScaledObject and a VPA are retargeted too', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop', autoscaling: false });
    new KedaRedisScaler(svc, 'Queue', { service: svc, redis: { address: 'redis:6379', listName: 'order-queue', listLength: 10 } });
    new ServiceVpa(svc, 'Vpa', { service: svc });
    new ArgoRollout(svc, 'Rollout', { service: svc });
    const objects = render(app);
    expect(only(objects, 'ScaledObject').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'order-service' });
    expect(only(objects, 'VerticalPodAutoscaler').spec.targetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'order-service' });
    expect(only(objects, 'Rollout').spec.replicas).toBeUndefined();
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(findings(app)).toEqual([]);
  });

  test('blue/green: the Service is the active one, <service>-preview the preview; pre-promotion analysis against the preview', () => {
    const app = build({ argoRollout: { strategy: 'blueGreen', analysis: { prometheusAddress: PROMETHEUS }, blueGreen: { autoPromotionSeconds: 600, postPromotionAnalysis: true } } });
    const objects = render(app);
    const rollout = only(objects, 'Rollout');
    const args = (host: string) => [{ name: 'service', value: host }, { name: 'canary-version', value: 'v1.2.3' }];
    expect(rollout.spec.strategy).toEqual({
      blueGreen: {
        activeService: 'user-service',
        previewService: 'user-service-preview',
        autoPromotionEnabled: true,
        autoPromotionSeconds: 600,
        scaleDownDelaySeconds: 30,
        prePromotionAnalysis: { templates: [{ templateName: 'user-service-canary-health' }], args: args('user-service-preview.shop.svc.cluster.local') },
        postPromotionAnalysis: { templates: [{ templateName: 'user-service-canary-health' }], args: args('user-service.shop.svc.cluster.local') },
      },
    });
    expect(only(objects, 'Service', 'user-service-preview').spec.selector).toEqual({ app: 'user-service', version: 'v1' });
    expect(only(objects, 'Service', 'user-service')).toBeDefined();
    expect(only(objects, 'DestinationRule').spec.subsets).toBeUndefined();
    expect(only(objects, 'VirtualService').spec.http).toEqual([{ name: 'primary', route: [{ destination: { host: 'user-service' } }] }]);
    expect(findings(app)).toEqual([]);
  });
});

describe('Argo CD leaves what Argo Rollouts changes alone', () => {
  test.each([
    ['canary', 'canary' as const, [
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'user-service', namespace: 'shop', jqPathExpressions: ['.spec.http[].route[].weight'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'user-service', namespace: 'shop', jqPathExpressions: ['.spec.subsets[].labels["rollouts-pod-template-hash"]'] },
    ]],
    ['blue/green', 'blueGreen' as const, [
      { group: '', kind: 'Service', name: 'user-service', namespace: 'shop', jqPathExpressions: ['.spec.selector["rollouts-pod-template-hash"]'] },
      { group: '', kind: 'Service', name: 'user-service-preview', namespace: 'shop', jqPathExpressions: ['.spec.selector["rollouts-pod-template-hash"]'] },
    ]],
  ])('%s: the Application ignores the managed fields, also at sync', (_name, strategy, managed) => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
    const rollout = new ArgoRollout(svc, 'Rollout', { service: svc, strategy });
    expect(rollout.argoCdIgnoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'user-service', namespace: 'shop', jsonPointers: ['/spec/replicas'] },
      ...managed,
    ]);
    const gitops = new App();
    new ArgoCdApplication(new Chart(gitops, 'applications'), 'prod', {
      name: 'shop-prod', repoUrl: 'https://git.example.com/shop.git', path: 'dist/prod', destinationNamespace: 'shop', ignoreDifferences: rollout.argoCdIgnoreDifferences,
    });
    const application = only(render(gitops), 'Application');
    expect(application.spec.ignoreDifferences).toEqual(rollout.argoCdIgnoreDifferences);
    expect(application.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(findings(gitops).filter((f) => f.check === 'schema' || f.check === 'cel')).toEqual([]);
  });

  test('an entry without fields is refused', () => {
    expect(() => new ArgoCdApplication(new Chart(new App(), 'c'), 'prod', {
      name: 'shop-prod', repoUrl: 'https://git.example.com/shop.git', path: 'dist/prod', destinationNamespace: 'shop', ignoreDifferences: [{ group: '', kind: 'Service' }],
    })).toThrow(/invalid ignoreDifferences\[0\]: .*; allowed: at least one field: jsonPointers or jqPathExpressions/);
  });
});

describe('Argo Rollouts refuses bad input', () => {
  test.each<[string, Omit<CanaryRouteProps, 'service'>, Record<string, unknown>, string | RegExp]>([
    ['Flagger and a Rollout on one route', { flagger: {}, argoRollout: {} }, {},
      /\[user-service\/Route\] invalid argoRollout: \{\}; allowed: one progressive-delivery engine per service: flagger or argoRollout, not both/],
    ['static weights', { weights: { v1: 100 }, argoRollout: {} }, {}, /invalid weights: .*allowed: nothing: with argoRollout, Argo Rollouts sets the weights/],
    ['a canary track of our own', { argoRollout: {} }, { canary: { image: IMAGE } }, /allowed: a service without its own canary track: Argo Rollouts runs the stable and the canary pods itself/],
    ['an unknown strategy', { argoRollout: { strategy: 'rolling' as any } }, {}, '[user-service/Route/ArgoRollout] invalid strategy: "rolling"; allowed: one of "canary", "blueGreen"'],
    ['descending weights', { argoRollout: { steps: [RolloutStep.setWeight(50), RolloutStep.setWeight(20)] } }, {}, /invalid steps\[1\]\.setWeight: 20; allowed: a weight not below the previous step's \(50\)/],
    ['a weight over 100', { argoRollout: { steps: [RolloutStep.setWeight(120)] } }, {}, /invalid steps\[0\]\.setWeight: 120; allowed: an integer from 1 to 100/],
    ['a malformed pause', { argoRollout: { steps: [RolloutStep.pause('5 minutes')] } }, {}, /invalid steps\[0\]\.pause: "5 minutes"; allowed: a duration such as "30s"/],
    ['an analysis step without analysis', { argoRollout: { steps: [RolloutStep.setWeight(10), RolloutStep.analysis()] } }, {}, /invalid steps\[1\]\.analysis: true; allowed: an analysis step only together with analysis/],
    ['a step with two actions', { argoRollout: { steps: [{ setWeight: 10, pause: '1m' } as any] } }, {}, /invalid steps\[0\]: .*allowed: exactly one of setWeight, pause or analysis/],
    ['a null step', { argoRollout: { steps: [null as any] } }, {}, /invalid steps\[0\]: null/],
    ['steps with blue/green', { argoRollout: { strategy: 'blueGreen', steps: [RolloutStep.setWeight(10)] } }, {}, /invalid steps: .*allowed: steps only with strategy "canary"/],
    ['an error-rate bound above 1', { argoRollout: { analysis: { prometheusAddress: PROMETHEUS, maxErrorRate: 5 } } }, {}, /invalid analysis\.maxErrorRate: 5; allowed: max error rate must be between 0 and 1/],
    ['a Prometheus address that is no URL', { argoRollout: { analysis: { prometheusAddress: 'prometheus' } } }, {}, /invalid analysis\.prometheusAddress: "prometheus"; allowed: an http\(s\):\/\/ URL/],
    ['an unknown scale-down', { argoRollout: { scaleDown: 'later' as any } }, {}, /invalid scaleDown: "later"; allowed: one of "progressively", "onsuccess", "never"/],
    ['mirroring on the shifted route', { argoRollout: {}, defaultRoute: { mirror: { subset: 'v1', percentage: 5 } } }, {}, /invalid defaultRoute\.mirror: .*allowed: timeout, retries, fault and rewriteUri only/],
    ['pre-promotion analysis without analysis', { argoRollout: { strategy: 'blueGreen', blueGreen: { prePromotionAnalysis: true } } }, {}, /invalid blueGreen\.prePromotionAnalysis: true; allowed: an analysis only together with analysis/],
  ])('refuses %s', (_n, route, chartProps, message) => {
    expect(() => build(route, chartProps)).toThrow(message);
  });

  test('refuses a Rollout on a service Flagger already delivers, naming both', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE });
    new CanaryRoute(svc, 'Route', { service: svc, flagger: {} });
    expect(() => new ArgoRollout(svc, 'Rollout', { service: svc } as ArgoRolloutProps)).toThrow(
      '[user-service/Rollout] invalid service: "user-service"; allowed: a service with one progressive-delivery engine: user-service is already delivered by Flagger (user-service/Route/Flagger); Argo Rollouts and Flagger would both run its pods and shift its traffic',
    );
  });

  test('refuses an autoscaler attached after the Rollout', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'order-service', { image: IMAGE, autoscaling: false });
    new ArgoRollout(svc, 'Rollout', { service: svc });
    new KedaRedisScaler(svc, 'Queue', { service: svc, redis: { address: 'redis:6379', listName: 'order-queue', listLength: 10 } });
    expect(() => render(app)).toThrow(/\[order-service\/Rollout\] invalid service: "order-service"; allowed: autoscalers attached before the Rollout is created/);
  });

  test('refuses a second route for the host of a standalone Rollout', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE });
    new ArgoRollout(svc, 'Rollout', { service: svc });
    expect(() => new CanaryRoute(svc, 'Static', { service: svc })).toThrow(/allowed: a host without a VirtualService yet \(user-service\/Rollout already routes default\/user-service\)/);
  });
});
