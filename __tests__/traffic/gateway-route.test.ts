import { App, Chart } from 'cdk8s';
import { CanaryRoute, GatewayRoute, GatewayRouteProps, IstioGateway, IstioGatewayProps, Match, MicroserviceChart } from '../../lib';
import { IMAGE, only, render } from '../helpers';
import { bookinfo, findings } from './bookinfo';

/** bookinfo with its edge chart (namespace bookinfo) holding the gateway. */
function bookinfoEdge(gateway: Partial<IstioGatewayProps> = {}) {
  const b = bookinfo();
  const edge = new Chart(b.app, 'edge', { namespace: 'bookinfo', disableResourceNameHashes: true });
  const gw = new IstioGateway(edge, 'Gateway', { name: 'bookinfo-gateway', hosts: ['*'], httpPort: 8080, ...gateway });
  return { ...b, edge, gw };
}

describe('IstioGateway', () => {
  test('bookinfo-gateway: plain HTTP on 8080 for any host', () => {
    const { app } = bookinfoEdge();
    expect(only(render(app), 'Gateway', 'bookinfo-gateway').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
  });

  test('plain HTTP on 80 by default; a wildcard subdomain with HTTPS and a redirect from plain HTTP', () => {
    const app = new App();
    const chart = new Chart(app, 'edge', { namespace: 'shop' });
    new IstioGateway(chart, 'Http', { name: 'http-gateway', hosts: ['shop.example.com'] });
    new IstioGateway(chart, 'Https', { name: 'https-gateway', hosts: ['*.example.com'], credentialName: 'wildcard-tls' });
    const objects = render(app);
    expect(only(objects, 'Gateway', 'http-gateway').spec.servers).toEqual([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }]);
    expect(only(objects, 'Gateway', 'https-gateway').spec.servers).toEqual([
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.example.com'], tls: { mode: 'SIMPLE', credentialName: 'wildcard-tls' } },
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'], tls: { httpsRedirect: true } },
    ]);
  });

  test.each<[string, Partial<IstioGatewayProps>, string | RegExp]>([
    ['a redirect without HTTPS', { httpsRedirect: true }, 'invalid httpsRedirect: true; allowed: false or nothing without a credentialName (there is no HTTPS server to redirect to)'],
    ['HTTP on the HTTPS port', { credentialName: 'tls', httpPort: 443 }, 'invalid httpPort: 443; allowed: a port other than 443, which serves HTTPS'],
    ['a malformed host', { hosts: ['*shop'] }, /invalid hosts\[0\]: "\*shop"/],
    ['a port out of range', { httpPort: 70000 }, /invalid httpPort: 70000/],
    ['a host twice', { hosts: ['*', '*'] }, /invalid hosts/],
  ])('refused: %s', (_name, props, message) => {
    expect(() => new IstioGateway(new Chart(new App(), 'edge'), 'Gateway', { name: 'gw', hosts: ['*'], ...props })).toThrow(message);
  });
});

describe('GatewayRoute', () => {
  test('bookinfo: /productpage, /static, /login, /logout and /api/v1/products to productpage:9080 for any host', () => {
    const { app, edge, gw, productpage } = bookinfoEdge();
    new GatewayRoute(edge, 'Bookinfo', {
      name: 'bookinfo', gateways: [gw], hosts: ['*'],
      routes: [{
        match: [Match.path('/productpage'), Match.pathPrefix('/static'), Match.path('/login'), Match.path('/logout'), Match.pathPrefix('/api/v1/products')],
        destinations: [{ service: productpage, port: 9080 }],
      }],
    });
    expect(only(render(app), 'VirtualService', 'bookinfo')).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: { name: 'bookinfo', namespace: 'bookinfo' },
      spec: {
        hosts: ['*'], gateways: ['bookinfo-gateway'],
        http: [{
          match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } }, { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } }],
          route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
        }],
      },
    });
    expect(findings(app)).toEqual([]);
  });

  test('subsets of a service routed elsewhere are checked at synthesis, whatever the order', () => {
    const { app, reviews, productpage } = bookinfo();
    const edge = new Chart(app, 'edge', { namespace: 'istio-system', disableResourceNameHashes: true });
    const gw = new IstioGateway(edge, 'Gateway', { name: 'public', hosts: ['*.example.com'], credentialName: 'example-tls', certificate: { issuer: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' } } });
    const routes = new Chart(app, 'routes', { namespace: 'bookinfo', disableResourceNameHashes: true });
    new GatewayRoute(routes, 'Api', {
      name: 'api', gateways: [gw], hosts: ['books.example.com'],
      routes: [
        { match: [Match.pathPrefix('/reviews')], destinations: [{ service: reviews, subset: 'v2', weight: 90 }, { service: reviews, subset: 'v3', weight: 10 }], timeout: '2s' },
        { match: [Match.pathPrefix('/status')], destinations: [{ service: 'status.ops.svc.cluster.local', port: 8081 }] },
        { destinations: [{ service: productpage }] },
      ],
    });
    new CanaryRoute(reviews, 'Route', { service: reviews, weights: { v1: 100 } });
    const vs = only(render(app), 'VirtualService', 'api');
    expect(vs.spec.gateways).toEqual(['istio-system/public']);
    expect(vs.spec.hosts).toEqual(['books.example.com']);
    expect(vs.spec.http).toEqual([
      {
        match: [{ uri: { prefix: '/reviews' } }], timeout: '2s', route: [
          { destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } }, weight: 90 },
          { destination: { host: 'reviews', subset: 'v3', port: { number: 9080 } }, weight: 10 },
        ],
      },
      { match: [{ uri: { prefix: '/status' } }], route: [{ destination: { host: 'status.ops.svc.cluster.local', port: { number: 8081 } } }] },
      { route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] },
    ]);
    expect(findings(app)).toEqual([]);
  });

  test('mirroring gateway traffic to a subset of another service; a mirror to an unknown subset is refused at synthesis', () => {
    const build = (subset: string) => {
      const { app, productpage, reviews, edge, gw } = bookinfoEdge();
      new CanaryRoute(reviews, 'Route', { service: reviews });
      new GatewayRoute(edge, 'Bookinfo', {
        name: 'bookinfo', gateways: [gw], hosts: ['*'],
        routes: [{ destinations: [{ service: productpage }], mirror: { service: reviews, subset, percentage: 10 } }],
      });
      return app;
    };
    const app = build('v3');
    expect(only(render(app), 'VirtualService', 'bookinfo').spec.http).toEqual([{
      route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
      mirror: { host: 'reviews', subset: 'v3', port: { number: 9080 } }, mirrorPercentage: { value: 10 },
    }]);
    expect(findings(app)).toEqual([]);
    expect(() => render(build('v9'))).toThrow('invalid routes[0].mirror.subset: "v9"; allowed: a subset of reviews: v1, v2, v3');
  });

  const refused = (props: Partial<GatewayRouteProps>, extra?: (b: ReturnType<typeof bookinfoEdge>) => void) => () => {
    const b = bookinfoEdge({ hosts: ['books.example.com'] });
    extra?.(b);
    new GatewayRoute(b.edge, 'Route', { name: 'books', gateways: [b.gw], hosts: ['books.example.com'], routes: [{ destinations: [{ service: b.productpage }] }], ...props });
    render(b.app);
  };
  test.each<[string, Partial<GatewayRouteProps>, string | RegExp]>([
    ['a host the gateway does not serve', { hosts: ['shop.example.com'] }, '[edge/Route] invalid hosts[0]: "shop.example.com"; allowed: a host gateway bookinfo-gateway serves: books.example.com'],
    ['the mesh as a gateway', { gateways: ['mesh'] }, /invalid gateways\[0\]: "mesh"; allowed: an IstioGateway, or a gateway as "namespace\/name" or "name" \(not "mesh"/],
    ['no routes', { routes: [] }, /invalid routes: \[\]/],
    ['a route without destinations', { routes: [{ match: [Match.path('/')] } as any] }, /invalid routes\[0\].destinations: undefined; allowed: a list of destinations \(a GatewayDestination/],
    ['weights not summing to 100', { routes: [{ destinations: [{ service: 'a.example.com', weight: 60 }, { service: 'b.example.com', weight: 60 }] }] },
      '[edge/Route] invalid routes[0].destinations: "a.example.com=60 b.example.com=60"; allowed: weights that sum to 100 (they sum to 120)'],
  ])('refused: %s', (_name, props, message) => {
    expect(refused(props)).toThrow(message);
  });

  test('refused: a port the service does not have; a subset of a service without a CanaryRoute (at synthesis)', () => {
    const b = bookinfoEdge({ hosts: ['books.example.com'] });
    expect(() => new GatewayRoute(b.edge, 'Route', { name: 'books', gateways: [b.gw], hosts: ['books.example.com'], routes: [{ destinations: [{ service: b.productpage, port: 80 }] }] }))
      .toThrow('[edge/Route] invalid routes[0].destinations[0].port: 80; allowed: the port of service productpage (9080)');
    new GatewayRoute(b.edge, 'Route2', { name: 'books', gateways: [b.gw], hosts: ['books.example.com'], routes: [{ destinations: [{ service: b.details, subset: 'v1' }] }] });
    expect(() => render(b.app)).toThrow('invalid routes[0].destinations[0].subset: "v1"; allowed: no subset: details has no CanaryRoute (DestinationRule) defining subsets');
  });
});

describe('CanaryRoute bound to an IstioGateway of the app', () => {
  test('the gateway is named across namespaces, and public hosts must be served by it', () => {
    const app = new App();
    const edge = new Chart(app, 'edge', { namespace: 'istio-system' });
    const gw = new IstioGateway(edge, 'Gateway', { name: 'public', hosts: ['*.example.com'], credentialName: 'example-tls' });
    const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
    new CanaryRoute(svc, 'Route', { service: svc, gateways: [gw], publicHosts: ['users.example.com'] });
    expect(only(render(app), 'VirtualService', 'user-service').spec).toMatchObject({ hosts: ['user-service', 'users.example.com'], gateways: ['mesh', 'istio-system/public'] });
    const other = new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop' });
    expect(() => new CanaryRoute(other, 'Route', { service: other, gateways: [gw], publicHosts: ['orders.example.org'] }))
      .toThrow('[order-service/Route] invalid publicHosts[0]: "orders.example.org"; allowed: a host gateway public serves: *.example.com');
    const third = new MicroserviceChart(app, 'payment-service', { image: IMAGE, namespace: 'shop' });
    expect(() => new CanaryRoute(third, 'Route', { service: third, gateways: [gw, 'istio-system/public'], publicHosts: ['pay.example.com'] }))
      .toThrow(/\[payment-service\/Route\] invalid gateways: .*istio-system\/public/);
  });
});

describe('host conflicts: one route per host', () => {
  const twoServices = () => {
    const app = new App();
    const user = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop' });
    const order = new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop' });
    return { app, user, order };
  };

  test('two services claiming one public host on one gateway are refused, naming both and the host', () => {
    const { user, order } = twoServices();
    new CanaryRoute(user, 'Route', { service: user, gateways: ['public-gateway'], publicHosts: ['api.example.com'] });
    expect(() => new CanaryRoute(order, 'Route', { service: order, gateways: ['shop/public-gateway'], publicHosts: ['api.example.com'] })).toThrow(
      '[order-service/Route] invalid publicHosts[0]: "api.example.com"; allowed: a public host no other route claims: service user-service (user-service/Route) '
      + 'and service order-service (order-service/Route) both route "api.example.com" on gateway shop/public-gateway, which Istio merges in no defined order; route both from one GatewayRoute by path');
  });

  test('the same public host on two different gateways is fine; a GatewayRoute and a service route on one host are not', () => {
    const { app, user, order } = twoServices();
    new CanaryRoute(user, 'Route', { service: user, gateways: ['public-gateway'], publicHosts: ['api.example.com'] });
    new CanaryRoute(order, 'Route', { service: order, gateways: ['internal-gateway'], publicHosts: ['api.example.com'] });
    const edge = new Chart(app, 'edge', { namespace: 'shop' });
    expect(() => new GatewayRoute(edge, 'Api', { name: 'api', gateways: ['public-gateway'], hosts: ['api.example.com'], routes: [{ destinations: [{ service: order }] }] }))
      .toThrow(/\[edge\/Api\] invalid hosts\[0\]: "api.example.com"; allowed: a public host no other route claims: service user-service \(user-service\/Route\) and GatewayRoute api \(edge\/Api\)/);
  });

  test('the fix the message suggests: one GatewayRoute routing the host by path to both services', () => {
    const { app, user, order } = twoServices();
    const edge = new Chart(app, 'edge', { namespace: 'shop' });
    new GatewayRoute(edge, 'Api', {
      name: 'api', gateways: ['public-gateway'], hosts: ['api.example.com'],
      routes: [
        { match: [Match.pathPrefix('/api/v1/users')], destinations: [{ service: user }] },
        { match: [Match.pathPrefix('/api/v1/orders')], destinations: [{ service: order }] },
      ],
    });
    expect(only(render(app), 'VirtualService', 'api').spec.http.map((h: any) => h.route[0].destination.host)).toEqual(['user-service', 'order-service']);
  });
});
