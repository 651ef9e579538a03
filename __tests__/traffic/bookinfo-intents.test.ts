import { App, Chart } from 'cdk8s';
import { CanaryRoute, ExternalServiceEntry, GatewayRoute, isAllowed, IstioGateway, Match, MeshSecurity, MicroserviceChart, PlatformNamespace } from '../../lib';
import { all, IMAGE, only, render } from '../helpers';
import { bookinfo, findings } from './bookinfo';

/**
 * The intents of Istio's bookinfo samples and traffic-management tasks, expressed through the
 * public API; each asserts the rendered objects and that they pass every default check.
 */
const dr = (objects: any[], name: string) => only(objects, 'DestinationRule', name);
const vs = (objects: any[], name: string) => only(objects, 'VirtualService', name);
const to = (host: string, subset: string, weight?: number) => ({ destination: { host, subset }, ...(weight === undefined ? {} : { weight }) });

describe('bookinfo: reviews v1, v2 and v3 at once', () => {
  test('destination-rule-reviews: one subset per version, RANDOM load balancing', () => {
    const { app, reviews } = bookinfo();
    new CanaryRoute(reviews, 'Route', { service: reviews, trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } });
    const objects = render(app);
    expect(dr(objects, 'reviews').spec).toEqual({
      host: 'reviews',
      trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
      subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    });
    expect(vs(objects, 'reviews').spec).toEqual({ hosts: ['reviews'], http: [{ name: 'default', route: [to('reviews', 'v1')] }] });
    expect(findings(app)).toEqual([]);
  });

  test('virtual-service-reviews-jason-v2-v3: a user (header end-user: jason) on v2, everyone else on v3', () => {
    const { app, reviews } = bookinfo();
    new CanaryRoute(reviews, 'Route', {
      service: reviews,
      routes: [{ match: [Match.header('end-user', 'jason')], destinations: [{ subset: 'v2' }] }],
      weights: { v3: 100 },
    });
    expect(vs(render(app), 'reviews').spec.http).toEqual([
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [to('reviews', 'v2')] },
      { name: 'default', route: [to('reviews', 'v3')] },
    ]);
    expect(findings(app)).toEqual([]);
  });

  test('virtual-service-reviews-50-v3 and -v2-v3: v1/v3 and v2/v3 split 50/50', () => {
    for (const [a, b] of [['v1', 'v3'], ['v2', 'v3']]) {
      const { app, reviews } = bookinfo();
      new CanaryRoute(reviews, 'Route', { service: reviews, weights: { [a]: 50, [b]: 50 } });
      expect(vs(render(app), 'reviews').spec.http).toEqual([{ name: 'default', route: [to('reviews', a, 50), to('reviews', b, 50)] }]);
    }
  });

  test('virtual-service-reviews-v3 and -90-10: everyone on v3; 90/10 between v1 and v2 while v3 runs idle', () => {
    const everyone = bookinfo();
    new CanaryRoute(everyone.reviews, 'Route', { service: everyone.reviews, weights: { v3: 100 } });
    expect(vs(render(everyone.app), 'reviews').spec.http).toEqual([{ name: 'default', route: [to('reviews', 'v3')] }]);
    const split = bookinfo();
    new CanaryRoute(split.reviews, 'Route', { service: split.reviews, weights: { v1: 90, v2: 10, v3: 0 } });
    expect(vs(render(split.app), 'reviews').spec.http[0].route).toEqual([to('reviews', 'v1', 90), to('reviews', 'v2', 10)]);
  });

  test('virtual-service-all-v1: every service on v1', () => {
    const { app, productpage, details, reviews, ratings } = bookinfo();
    for (const svc of [productpage, details, reviews, ratings]) new CanaryRoute(svc, 'Route', { service: svc, weights: { v1: 100 } });
    const objects = render(app);
    expect(all(objects, 'VirtualService').map((o) => [o.metadata.name, o.spec.http])).toEqual(
      ['details', 'productpage', 'ratings', 'reviews'].map((name) => [name, [{ name: 'default', route: [to(name, 'v1')] }]]));
    expect(findings(app)).toEqual([]);
  });
});

describe('fault injection (virtual-service-ratings-test-delay / -abort, fault-injection-details-v1)', () => {
  test('jason gets a 7 s delay on ratings; everyone else reaches v1 unharmed', () => {
    const { app, ratings } = bookinfo();
    new CanaryRoute(ratings, 'Route', {
      service: ratings,
      routes: [{ match: [Match.header('end-user', 'jason')], fault: { delay: { fixedDelay: '7s', percentage: 100 } }, destinations: [{ subset: 'v1' }] }],
    });
    expect(vs(render(app), 'ratings').spec.http).toEqual([
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], fault: { delay: { fixedDelay: '7s', percentage: { value: 100 } } }, route: [to('ratings', 'v1')] },
      { name: 'default', route: [to('ratings', 'v1')] },
    ]);
    expect(findings(app)).toEqual([]);
  });

  test('jason gets HTTP 500 from ratings; details aborts every request with 555', () => {
    const { app, ratings, details } = bookinfo();
    new CanaryRoute(ratings, 'Route', { service: ratings, routes: [{ match: [Match.header('end-user', 'jason')], fault: { abort: { httpStatus: 500, percentage: 100 } } }] });
    new CanaryRoute(details, 'Route', { service: details, defaultRoute: { fault: { abort: { httpStatus: 555, percentage: 100 } } } });
    const objects = render(app);
    expect(vs(objects, 'ratings').spec.http[0]).toEqual({
      match: [{ headers: { 'end-user': { exact: 'jason' } } }], fault: { abort: { httpStatus: 500, percentage: { value: 100 } } }, route: [to('ratings', 'v1')],
    });
    expect(vs(objects, 'details').spec.http).toEqual([{ name: 'default', fault: { abort: { httpStatus: 555, percentage: { value: 100 } } }, route: [to('details', 'v1')] }]);
    expect(findings(app)).toEqual([]);
  });
});

describe('request timeouts (tasks/request-timeouts)', () => {
  test('ratings delayed 2 s for everyone, reviews v2 with a 0.5 s timeout', () => {
    const { app, ratings, reviews } = bookinfo();
    new CanaryRoute(ratings, 'Route', { service: ratings, defaultRoute: { fault: { delay: { fixedDelay: '2s', percentage: 100 } } } });
    new CanaryRoute(reviews, 'Route', { service: reviews, weights: { v2: 100 }, defaultRoute: { timeout: '0.5s' } });
    const objects = render(app);
    expect(vs(objects, 'ratings').spec.http).toEqual([{ name: 'default', fault: { delay: { fixedDelay: '2s', percentage: { value: 100 } } }, route: [to('ratings', 'v1')] }]);
    expect(vs(objects, 'reviews').spec.http).toEqual([{ name: 'default', route: [to('reviews', 'v2')], timeout: '0.5s' }]);
    expect(findings(app)).toEqual([]);
  });
});

/** httpbin of the Istio tasks, with v1 and v2 tracks. */
function httpbin() {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'default', istioInjection: true });
  const svc = new MicroserviceChart(app, 'httpbin', {
    image: 'harbor.example.com/samples/httpbin:2.15.0', port: 8080, servicePort: 8000,
    additionalTracks: [{ name: 'v2', image: 'harbor.example.com/samples/httpbin:2.16.0' }],
  });
  return { app, svc };
}

describe('circuit breaking and mirroring (tasks/circuit-breaking, tasks/mirroring)', () => {
  test('one connection, one pending request, eject after one 5xx for 3 minutes', () => {
    const { app, svc } = httpbin();
    new CanaryRoute(svc, 'Route', {
      service: svc,
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
        outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
      },
    });
    expect(dr(render(app), 'httpbin').spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
      outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
    });
    expect(findings(app)).toEqual([]);
  });

  test('all traffic to v1, mirrored 100 % to v2', () => {
    const { app, svc } = httpbin();
    new CanaryRoute(svc, 'Route', { service: svc, weights: { v1: 100 }, defaultRoute: { mirror: { subset: 'v2', percentage: 100 } } });
    const objects = render(app);
    expect(vs(objects, 'httpbin').spec.http).toEqual([{
      name: 'default', route: [to('httpbin', 'v1')], mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100 },
    }]);
    expect(dr(objects, 'httpbin').spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
    expect(findings(app)).toEqual([]);
  });

  test('a mirror to an unknown subset is refused', () => {
    const { svc } = httpbin();
    expect(() => new CanaryRoute(svc, 'Route', { service: svc, defaultRoute: { mirror: { subset: 'v3', percentage: 100 } } }))
      .toThrow('[httpbin/Route] invalid defaultRoute.mirror.subset: "v3"; allowed: a subset of httpbin: v1, v2');
  });
});

describe('authorization: allow-nothing (tasks/authz-allow-nothing)', () => {
  test('an empty ALLOW policy in the namespace: no request reaches any workload, whoever sends it', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'foo', istioInjection: true });
    new MicroserviceChart(app, 'httpbin', { image: IMAGE, namespace: 'foo' });
    new MicroserviceChart(app, 'sleep', { image: IMAGE, namespace: 'foo' });
    new MeshSecurity(app, 'mesh-security', { namespace: 'foo' });
    const objects = render(app);
    const policies = all(objects, 'AuthorizationPolicy');
    expect(policies).toEqual([{
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-nothing', namespace: 'foo', labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } }, spec: {},
    }]);
    const httpbinPods = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };
    expect(isAllowed(policies, httpbinPods, { principal: 'cluster.local/ns/foo/sa/sleep', method: 'GET', path: '/ip' })).toBe(false);
    expect(isAllowed(policies, httpbinPods, { method: 'GET', path: '/headers' })).toBe(false);
    expect(isAllowed(policies, httpbinPods, { principal: 'cluster.local/ns/foo/sa/sleep', requestPrincipal: 'a/b', method: 'POST', path: '/' })).toBe(false);
    expect(findings(app)).toEqual([]);
  });
});


describe('the whole bookinfo application', () => {
  test('gateway with URI routes, reviews on three versions, faults, egress with TLS origination and zero trust pass every default check', () => {
    const { app, productpage, details, reviews, ratings } = bookinfo();
    new CanaryRoute(productpage, 'Route', { service: productpage });
    new CanaryRoute(details, 'Route', { service: details, defaultRoute: { timeout: '2s', retries: { attempts: 2, perTryTimeout: '1s' } } });
    new CanaryRoute(reviews, 'Route', {
      service: reviews, trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
      routes: [{ match: [Match.header('end-user', 'jason')], destinations: [{ subset: 'v2' }] }],
      weights: { v1: 50, v3: 50 },
    });
    new CanaryRoute(ratings, 'Route', { service: ratings, routes: [{ match: [Match.header('end-user', 'jason')], fault: { delay: { fixedDelay: '7s', percentage: 100 } } }] });
    const edge = new Chart(app, 'edge', { namespace: 'bookinfo', disableResourceNameHashes: true });
    const gateway = new IstioGateway(edge, 'Gateway', { name: 'bookinfo-gateway', hosts: ['*'], httpPort: 8080 });
    new GatewayRoute(edge, 'Bookinfo', {
      name: 'bookinfo', gateways: [gateway], hosts: ['*'],
      routes: [{ match: [Match.path('/productpage'), Match.pathPrefix('/static'), Match.path('/login'), Match.path('/logout'), Match.pathPrefix('/api/v1/products')], destinations: [{ service: productpage }] }],
    });
    new ExternalServiceEntry(edge, 'GoogleApis', { name: 'googleapis', hosts: ['www.googleapis.com'], tlsOrigination: {} });
    new MeshSecurity(app, 'mesh-security', {
      namespace: 'bookinfo', publicServices: ['productpage'],
      workloadJwt: [{ service: 'reviews', issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json', requiredClaims: { scope: ['reviews:read'] } }],
    });
    const objects = render(app);
    expect(all(objects, 'VirtualService').map((o) => o.metadata.name).sort()).toEqual(['bookinfo', 'details', 'googleapis', 'productpage', 'ratings', 'reviews']);
    expect(all(objects, 'DestinationRule').map((o) => o.metadata.name).sort()).toEqual(['details', 'googleapis', 'productpage', 'ratings', 'reviews']);
    expect(findings(app)).toEqual([]);
  });
});
