import { App } from 'cdk8s';
import { CanaryRoute, HttpRouteOptions, Match, MicroserviceChart, PlatformNamespace } from '../../lib';
import { IMAGE, only, render } from '../helpers';
import { findings } from './bookinfo';

function route(routes: HttpRouteOptions[], defaultRoute?: Omit<HttpRouteOptions, 'destinations' | 'match' | 'name'>) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
  const svc = new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', canary: { image: IMAGE.replace('v1.2.3', 'v1.3.0') } });
  new CanaryRoute(svc, 'Route', { service: svc, routes, defaultRoute, weights: { v1: 50, v2: 50 } });
  return { app, http: only(render(app), 'VirtualService', 'user-service').spec.http };
}

describe('header manipulation', () => {
  test('A/B cohorts: the cohort cookie pins a user to v2, new users on v2 receive it with Set-Cookie', () => {
    const { app, http } = route([
      { name: 'cohort-b', match: [Match.cookie('cohort', 'b')], destinations: [{ subset: 'v2' }], headers: { request: { set: { 'x-cohort': 'b' } } } },
      {
        name: 'new-to-b', match: [Match.header('x-new-user', 'true')], destinations: [{ subset: 'v2' }],
        headers: { response: { add: { 'Set-Cookie': 'cohort=b; Path=/; Max-Age=2592000' } } },
      },
    ], { headers: { request: { add: { 'x-routed-by': 'istio' }, remove: ['x-debug'] }, response: { set: { 'cache-control': 'no-store' }, remove: ['server'] } } });
    expect(http[0].headers).toEqual({ request: { set: { 'x-cohort': 'b' } } });
    expect(http[1].headers).toEqual({ response: { add: { 'Set-Cookie': 'cohort=b; Path=/; Max-Age=2592000' } } });
    expect(http[2]).toMatchObject({
      name: 'default',
      headers: { request: { add: { 'x-routed-by': 'istio' }, remove: ['x-debug'] }, response: { set: { 'cache-control': 'no-store' }, remove: ['server'] } },
    });
    expect(findings(app)).toEqual([]);
  });

  test.each<[string, HttpRouteOptions, string | RegExp]>([
    ['a pseudo-header', { headers: { request: { set: { ':path': '/x' } } } }, /invalid routes\[0\].headers.request.set.:path: ":path"; allowed: a header name of letters, digits/],
    ['removing Host', { headers: { request: { remove: ['Host'] } } }, /invalid routes\[0\].headers.request.remove\[0\]: "Host"; allowed: a header other than Host \(it cannot be removed\)/],
    ['Host on a response', { headers: { response: { set: { host: 'a' } } } }, /invalid routes\[0\].headers.response.set.host: "host"; allowed: a header other than Host \(it cannot be set on a response\)/],
    ['a header value that is no string', { headers: { request: { set: { 'x-a': 5 as any } } } }, /invalid routes\[0\].headers.request.set/],
  ])('refused: %s', (_name, r, message) => {
    expect(() => route([r])).toThrow(message);
  });
});

describe('CORS policy', () => {
  test('origins, methods, headers, max age and credentials', () => {
    const { app, http } = route([], {
      corsPolicy: {
        allowOrigins: [{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }],
        allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['x-request-id'],
        maxAge: '24h', allowCredentials: true,
      },
    });
    expect(http[0].corsPolicy).toEqual({
      allowOrigins: [{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }],
      allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['x-request-id'],
      maxAge: '24h', allowCredentials: true,
    });
    expect(findings(app)).toEqual([]);
  });

  test.each<[string, any, string | RegExp]>([
    ['no origins', { allowOrigins: [] }, /invalid defaultRoute.corsPolicy.allowOrigins: \[\]/],
    ['an unknown method', { allowOrigins: [{ exact: 'https://a.example.com' }], allowMethods: ['FETCH'] }, /invalid defaultRoute.corsPolicy.allowMethods\[0\]: "FETCH"/],
    ['a max age below a second', { allowOrigins: [{ exact: 'https://a.example.com' }], maxAge: '1500ms' }, /invalid defaultRoute.corsPolicy.maxAge: "1500ms"; allowed: a duration in whole seconds/],
    ['an origin with two matchers', { allowOrigins: [{ exact: 'a', prefix: 'b' }] }, /invalid defaultRoute.corsPolicy.allowOrigins\[0\]: .*allowed: exactly one of exact, prefix or regex/],
    ['a header with a space', { allowOrigins: [{ exact: 'https://a.example.com' }], allowHeaders: ['x a'] }, /invalid defaultRoute.corsPolicy.allowHeaders\[0\]: "x a"/],
  ])('refused: %s', (_name, corsPolicy, message) => {
    expect(() => route([], { corsPolicy })).toThrow(message);
  });
});
