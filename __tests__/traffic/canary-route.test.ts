import { App } from 'cdk8s';
import {
  CanaryRoute, CanaryRouteProps, defaultChecks, ExternalServiceEntry, IstioGateway, Match, MicroserviceChart, NginxCanaryIngress, PlatformNamespace, renderApp,
} from '../../lib';
import { IMAGE, only, render } from '../helpers';

/** user-service with stable v1 and canary v2 tracks, routed by `route`. */
function build(route: Omit<CanaryRouteProps, 'service'>, canary = true) {
  const app = new App();
  const svc = new MicroserviceChart(app, 'user-service', {
    image: IMAGE,
    canary: canary ? { image: 'harbor.example.com/ecommerce/user-service:v1.3.0' } : undefined,
  });
  new CanaryRoute(svc, 'Route', { service: svc, ...route });
  return { app, objects: render(app) };
}
const vs = (objects: any[]) => only(objects, 'VirtualService', 'user-service');
const dr = (objects: any[]) => only(objects, 'DestinationRule', 'user-service');

describe('tracks', () => {
  test('a canary track is a second Deployment with its own version label, behind the one Service', () => {
    const { objects } = build({});
    const canary = only(objects, 'Deployment', 'user-service-canary');
    expect(canary.spec.selector.matchLabels).toEqual({ app: 'user-service', version: 'v2' });
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.template.spec.containers[0].image).toBe('harbor.example.com/ecommerce/user-service:v1.3.0');
    expect(only(objects, 'Deployment', 'user-service').spec.selector.matchLabels).toEqual({ app: 'user-service', version: 'v1' });
    expect(only(objects, 'Service').spec.selector).toEqual({ app: 'user-service' });
  });
});

describe('CanaryRoute renders every routing example of the seeds', () => {
  test('90/10 weighted split; subsets per track; DestinationRule before VirtualService', () => {
    const { objects } = build({ weights: { v1: 90, v2: 10 } });
    expect(dr(objects).apiVersion).toBe('networking.istio.io/v1');
    expect(dr(objects).spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
    expect(vs(objects).spec).toEqual({
      hosts: ['user-service'],
      http: [{ name: 'default', route: [
        { destination: { host: 'user-service', subset: 'v1' }, weight: 90 },
        { destination: { host: 'user-service', subset: 'v2' }, weight: 10 },
      ] }],
    });
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('DestinationRule')).toBeLessThan(kinds.indexOf('VirtualService'));
  });

  test('testers, VIPs and listed user ids on v2 (exact and regex header matches), cookie A/B', () => {
    const { objects } = build({
      routes: [
        { name: 'testers', match: [Match.header('x-user-type', 'tester')], destinations: [{ subset: 'v2' }] },
        { name: 'vip', match: [Match.header('x-user-level', 'vip')], destinations: [{ subset: 'v2' }] },
        { name: 'ids', match: [Match.headerRegex('x-user-id', '^(1001|1002|1003)$')], destinations: [{ subset: 'v2' }] },
        { name: 'cookie', match: [{ headers: { cookie: { regex: '.*version=v2.*' } } }], destinations: [{ subset: 'v2' }] },
      ],
      weights: { v1: 50, v2: 50 },
    });
    const http = vs(objects).spec.http;
    expect(http[0]).toEqual({ name: 'testers', match: [{ headers: { 'x-user-type': { exact: 'tester' } } }], route: [{ destination: { host: 'user-service', subset: 'v2' } }] });
    expect(http[2].match).toEqual([{ headers: { 'x-user-id': { regex: '^(1001|1002|1003)$' } } }]);
    expect(http[3].match).toEqual([{ headers: { cookie: { regex: '.*version=v2.*' } } }]);
    expect(http[4].route.map((r: any) => r.weight)).toEqual([50, 50]);
  });

  test('Match.cookie matches one cookie among others', () => {
    const regex = new RegExp((Match.cookie('version', 'v2').headers!.cookie as any).regex);
    expect(regex.test('a=1; version=v2; b=2')).toBe(true);
    expect(regex.test('version=v2')).toBe(true);
    expect(regex.test('myversion=v2')).toBe(false);
  });

  test('/api/v2 rewritten to /api, mirroring, per-endpoint timeouts and retries', () => {
    const { objects } = build({
      routes: [
        { match: [Match.pathPrefix('/api/v2')], rewriteUri: '/api', destinations: [{ subset: 'v2' }] },
        { match: [Match.pathPrefix('/api/v1/users/search')], timeout: '1s', retries: { attempts: 2, perTryTimeout: '500ms' } },
        { match: [Match.pathPrefix('/api/v1/users/export')], timeout: '30s', retries: { attempts: 1, perTryTimeout: '30s' } },
        { match: [Match.path('/health')], timeout: '1s', retries: { attempts: 0 } },
      ],
      defaultRoute: { timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: ['5xx', 'reset', 'connect-failure', 'refused-stream'] }, mirror: { subset: 'v2', percentage: 100 } },
    });
    const http = vs(objects).spec.http;
    expect(http[0]).toMatchObject({ match: [{ uri: { prefix: '/api/v2' } }], rewrite: { uri: '/api' } });
    expect(http[1]).toMatchObject({ timeout: '1s', retries: { attempts: 2, perTryTimeout: '500ms' } });
    expect(http[3]).toMatchObject({ match: [{ uri: { exact: '/health' } }], retries: { attempts: 0 } });
    expect(http[4]).toMatchObject({
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure,refused-stream' },
      mirror: { host: 'user-service', subset: 'v2' },
      mirrorPercentage: { value: 100 },
      route: [{ destination: { host: 'user-service', subset: 'v1' } }],
    });
  });

  test('delay, abort and mixed fault injection for a test user', () => {
    const { objects } = build({
      routes: [
        { match: [Match.header('x-user-id', 'test-user')], fault: { delay: { fixedDelay: '2s', percentage: 100 }, abort: { httpStatus: 503, percentage: 20 } } },
      ],
      defaultRoute: { fault: { delay: { fixedDelay: '5s', percentage: 10 } } },
    }, false);
    const http = vs(objects).spec.http;
    expect(http[0].fault).toEqual({ delay: { fixedDelay: '2s', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 20 } } });
    expect(http[1].fault).toEqual({ delay: { fixedDelay: '5s', percentage: { value: 10 } } });
  });

  test('the production traffic policy of seed 004 §12.4.3 (with stable/canary labels)', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, version: 'stable', canary: { image: IMAGE, version: 'canary' } });
    new CanaryRoute(svc, 'Route', {
      service: svc,
      trafficPolicy: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        connectionPool: { tcp: { maxConnections: 200, connectTimeout: '30ms' }, http: { http1MaxPendingRequests: 100, http2MaxRequests: 200, maxRequestsPerConnection: 5, maxRetries: 3, idleTimeout: '1800s' } },
        outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 30, minHealthPercent: 50 },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsetPolicies: {
        stable: { loadBalancer: { simple: 'ROUND_ROBIN' } },
        canary: { loadBalancer: { simple: 'RANDOM' }, outlierDetection: { consecutive5xxErrors: 2, interval: '5s', baseEjectionTime: '60s' } },
      },
      routes: [
        { match: [Match.path('/health')], timeout: '1s', retries: { attempts: 0 } },
        { match: [{ uri: { prefix: '/api/v1/users' }, method: { exact: 'GET' } }], destinations: [{ subset: 'stable', weight: 95 }, { subset: 'canary', weight: 5 }], timeout: '3s', retries: { attempts: 3, perTryTimeout: '1s', retryOn: ['5xx', 'reset', 'connect-failure'] } },
        { match: [{ uri: { prefix: '/api/v1/users' }, method: { regex: 'POST|PUT|DELETE' } }], timeout: '10s', retries: { attempts: 1, perTryTimeout: '10s', retryOn: ['reset', 'connect-failure'] } },
      ],
      defaultRoute: { timeout: '5s', retries: { attempts: 2, perTryTimeout: '2s' } },
    });
    const objects = render(app);
    expect(dr(objects).spec.trafficPolicy).toMatchObject({ loadBalancer: { simple: 'LEAST_REQUEST' }, tls: { mode: 'ISTIO_MUTUAL' }, outlierDetection: { consecutive5xxErrors: 3 } });
    expect(dr(objects).spec.subsets[1]).toEqual({ name: 'canary', labels: { version: 'canary' }, trafficPolicy: { loadBalancer: { simple: 'RANDOM' }, outlierDetection: { consecutive5xxErrors: 2, interval: '5s', baseEjectionTime: '60s' } } });
    expect(vs(objects).spec.http[1].route).toEqual([
      { destination: { host: 'user-service', subset: 'stable' }, weight: 95 },
      { destination: { host: 'user-service', subset: 'canary' }, weight: 5 },
    ]);
  });

  test('connection pool with keepalive and outlier detection (seed 004 circuit breaker); LEAST_CONN (seed 000)', () => {
    const { objects } = build({
      trafficPolicy: {
        loadBalancer: { simple: 'LEAST_CONN' },
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: '30ms', tcpKeepalive: { time: '7200s', interval: '75s' } },
          http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 2, maxRetries: 3, idleTimeout: '3600s' },
        },
        outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 40 },
      },
    });
    expect(dr(objects).spec.trafficPolicy).toEqual({
      loadBalancer: { simple: 'LEAST_CONN' },
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '30ms', tcpKeepalive: { time: '7200s', interval: '75s' } },
        http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 2, maxRetries: 3, idleTimeout: '3600s' },
      },
      outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 40 },
    });
    const manifests = objects.map((manifest) => ({ file: 'x.yaml', manifest }));
    expect(defaultChecks().find((c) => c.name === 'schema')!.check(manifests)).toEqual([]);
  });

  test('consistent hashing on a header; gateway binding with a public host; v1beta1 for old Istio', () => {
    const { objects } = build({
      istioApiVersion: 'v1beta1',
      trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user-id' } } },
      gateways: ['istio-system/public-gateway'],
      publicHosts: ['user-api.example.com'],
    });
    expect(dr(objects).apiVersion).toBe('networking.istio.io/v1beta1');
    expect(dr(objects).spec.trafficPolicy.loadBalancer).toEqual({ consistentHash: { httpHeaderName: 'x-user-id' } });
    expect(vs(objects).spec.hosts).toEqual(['user-service', 'user-api.example.com']);
    expect(vs(objects).spec.gateways).toEqual(['mesh', 'istio-system/public-gateway']);
  });

  test('Gateway with HTTPS and an HTTP→HTTPS redirect; ServiceEntry for an external API', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'x', { image: IMAGE });
    new IstioGateway(svc, 'Gateway', { name: 'public-gateway', hosts: ['user-api.example.com'], credentialName: 'user-api-tls' });
    new ExternalServiceEntry(svc, 'Stripe', { name: 'stripe', hosts: ['api.stripe.com'] });
    const objects = render(app);
    expect(only(objects, 'Gateway').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['user-api.example.com'], tls: { mode: 'SIMPLE', credentialName: 'user-api-tls' } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['user-api.example.com'], tls: { httpsRedirect: true } },
      ],
    });
    expect(only(objects, 'ServiceEntry').spec).toEqual({
      hosts: ['api.stripe.com'], ports: [{ number: 443, name: 'https-443', protocol: 'HTTPS' }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
  });

  test('everything it renders passes schema, CEL and cross-reference checks', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', canary: { image: IMAGE } });
    new CanaryRoute(svc, 'Route', {
      service: svc, weights: { v1: 90, v2: 10 },
      routes: [{ match: [Match.header('x-user-type', 'tester')], destinations: [{ subset: 'v2' }], fault: { abort: { httpStatus: 503, percentage: 1.5 } } }],
      trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } }, outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 } },
    });
    const objects = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    expect(defaultChecks().flatMap((c) => c.check(objects))).toEqual([]);
  });
});

describe('CanaryRoute refuses', () => {
  test.each<[string, Omit<CanaryRouteProps, 'service'>, string | RegExp]>([
    ['weights not summing to 100', { weights: { v1: 90, v2: 20 } }, '[user-service/Route] invalid weights.destinations: "v1=90 v2=20"; allowed: weights that sum to 100 (they sum to 110)'],
    ['fractional weight', { weights: { v1: 89.5, v2: 10.5 } }, /invalid weights.destinations\[0\].weight: 89.5; allowed: an integer from 0 to 100/],
    ['unknown subset', { weights: { v1: 90, v3: 10 } }, 'invalid weights.destinations[1].subset: "v3"; allowed: a subset of user-service: v1, v2'],
    ['zero timeout', { defaultRoute: { timeout: '0s' } }, /invalid defaultRoute.timeout: "0s"; allowed: a duration .* of at least 1 ms/],
    ['malformed duration', { routes: [{ retries: { attempts: 2, perTryTimeout: '2 seconds' } }] }, /invalid routes\[0\].retries.perTryTimeout: "2 seconds"/],
    ['fault percentage over 100', { routes: [{ fault: { delay: { fixedDelay: '1s', percentage: 150 } } }] }, /invalid routes\[0\].fault.delay.percentage: 150; allowed: a number from 0 to 100/],
    ['abort code out of range', { routes: [{ fault: { abort: { httpStatus: 700, percentage: 10 } } }] }, /invalid routes\[0\].fault.abort.httpStatus: 700; allowed: an integer from 200 to 599/],
    ['unknown retryOn', { defaultRoute: { retries: { attempts: 3, retryOn: ['5xx', 'on-failure'] } } }, /invalid defaultRoute.retries.retryOn\[1\]: "on-failure"; allowed: an Envoy retry condition/],
    ['wildcard host on a mesh route', { publicHosts: ['*'] }, /invalid publicHosts\[0\]: "\*"; allowed: an explicit host name/],
    ['policy for an unknown subset', { subsetPolicies: { v3: {} } }, /invalid subsetPolicies.v3: "v3"/],
    // Istio's webhook rules, refused at construction rather than at sync:
    ['a look-behind regex (not RE2)', { routes: [{ match: [{ uri: { regex: '(?<=/api)/users' } }] }] },
      /invalid routes\[0\].match\[0\].uri.regex: "\(\?<=\/api\)\/users"; allowed: an RE2 regular expression \(not a valid RE2 regex \(look-behind is not supported by RE2\)/],
    ['a backreference', { routes: [{ match: [{ headers: { 'x-id': { regex: '(a)\\1' } } }] }] }, /invalid routes\[0\].match\[0\].headers.x-id.regex: .*a backreference is not supported by RE2/],
    ['retry settings without retries', { defaultRoute: { retries: { attempts: 0, perTryTimeout: '2s' } } }, /invalid defaultRoute.retries: .*; allowed: perTryTimeout and retryOn only with attempts of 1 or more/],
    ['an upper-case header name', { routes: [{ match: [{ headers: { 'X-User': { exact: 'a' } } }] }] }, /invalid routes\[0\].match\[0\].headers: "X-User"; allowed: lower-case HTTP header names/],
  ])('%s', (_name, route, message) => {
    expect(() => build(route)).toThrow(message);
  });

  test('header names in Match factories: empty or upper-case refused', () => {
    expect(() => Match.header('', 'a')).toThrow('[Match.header] invalid name: ""; allowed: a header name such as "x-user-type"');
    expect(() => Match.headerRegex('X-Id', '^1$')).toThrow(/\[Match.headerRegex\] invalid name: "X-Id"; allowed: a lower-case HTTP header name/);
  });

  test('a second VirtualService for one host', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE });
    new CanaryRoute(svc, 'Route', { service: svc });
    expect(() => new CanaryRoute(svc, 'Route2', { service: svc })).toThrow('[user-service/Route2] invalid service: "user-service"; allowed: a host without a VirtualService yet (user-service/Route already routes default/user-service)');
  });
});

describe('beyond Istio', () => {
  test('ingress-nginx canary: stable and canary Services per track, weight and header annotations on a second Ingress', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'shop' });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', canary: { image: 'harbor.example.com/ecommerce/user-service:v1.3.0' } });
    new NginxCanaryIngress(svc, 'Canary', {
      service: svc, host: 'user-api.example.com', clusterIssuer: 'letsencrypt-prod',
      canaryWeight: 10, canaryHeader: { name: 'x-user-type', value: 'tester' },
    });
    const objects = render(app);
    expect(only(objects, 'Service', 'user-service-stable').spec.selector).toEqual({ app: 'user-service', version: 'v1' });
    expect(only(objects, 'Service', 'user-service-canary').spec.selector).toEqual({ app: 'user-service', version: 'v2' });
    const main = only(objects, 'Ingress', 'user-service');
    expect(main.spec.rules[0].http.paths[0].backend.service.name).toBe('user-service-stable');
    expect(main.metadata.annotations['nginx.ingress.kubernetes.io/canary']).toBeUndefined();
    const canary = only(objects, 'Ingress', 'user-service-canary');
    expect(canary.spec.rules[0].host).toBe('user-api.example.com');
    expect(canary.spec.rules[0].http.paths[0].backend.service.name).toBe('user-service-canary');
    expect(canary.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '10',
      'nginx.ingress.kubernetes.io/canary-by-header': 'x-user-type',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'tester',
    });
    expect(canary.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(only(objects, 'NetworkPolicy', 'user-service').spec.ingress.map((r: any) => r.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name']))
      .toContain('ingress-nginx');
    const manifests = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    expect(defaultChecks().flatMap((c) => c.check(manifests))).toEqual([]);
  });

  test('ingress-nginx canary needs a canary track and an integer weight', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE });
    expect(() => new NginxCanaryIngress(svc, 'Canary', { service: svc, host: 'a.example.com', canaryWeight: 10 })).toThrow(/allowed: a service with a canary track/);
    const svc2 = new MicroserviceChart(app, 'other', { image: IMAGE, canary: { image: IMAGE } });
    expect(() => new NginxCanaryIngress(svc2, 'Canary', { service: svc2, host: 'a.example.com', canaryWeight: 110 })).toThrow(/invalid canaryWeight: 110/);
  });

  test('blue/green: the Service selects the active version; a preview Service the other', () => {
    const build = (activeVersion: string) => {
      const app = new App();
      new MicroserviceChart(app, 'user-service', { image: IMAGE, version: 'blue', canary: { image: IMAGE, version: 'green' }, blueGreen: { activeVersion } });
      return render(app);
    };
    expect(only(build('blue'), 'Service', 'user-service').spec.selector).toEqual({ app: 'user-service', version: 'blue' });
    expect(only(build('blue'), 'Service', 'user-service-preview').spec.selector).toEqual({ app: 'user-service', version: 'green' });
    expect(only(build('green'), 'Service', 'user-service').spec.selector).toEqual({ app: 'user-service', version: 'green' });
    expect(() => build('red')).toThrow('[user-service] invalid blueGreen.activeVersion: "red"; allowed: one of the track versions: blue, green');
    expect(() => new MicroserviceChart(new App(), 'x', { image: IMAGE, blueGreen: { activeVersion: 'v1' } })).toThrow(/blue\/green only with a second track/);
  });
});
