import { App } from 'cdk8s';
import { buildDefaultApps } from '../../app';
import { CanaryRoute, defaultChecks, isAllowed, MeshSecurity, MeshSecurityProps, MicroserviceChart, PlatformNamespace, renderApp } from '../../lib';
import { all, container, IMAGE, only, render } from '../helpers';

function platform(security: Omit<MeshSecurityProps, 'namespace'>, extra?: (app: App) => void) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'shop', istioInjection: true });
  new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', callers: [{ service: 'order-service', methods: ['GET', 'POST'], paths: ['/api/v1/users/*'] }] });
  new MicroserviceChart(app, 'order-service', { image: IMAGE, namespace: 'shop', port: 5000 });
  new MicroserviceChart(app, 'payment-service', { image: IMAGE, namespace: 'shop', port: 3000, callers: ['order-service'] });
  extra?.(app);
  new MeshSecurity(app, 'mesh-security', { namespace: 'shop', ...security });
  return { app, objects: render(app) };
}
const principal = (sa: string, ns = 'shop') => `cluster.local/ns/${ns}/sa/${sa}`;
const GATEWAY = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
const workload = (app: string) => ({ namespace: 'shop', labels: { app, version: 'v1' } });

describe('MeshSecurity', () => {
  test('mTLS at mesh, namespace and workload level, with a port-level override', () => {
    const { objects, app } = platform({ meshWideMtls: 'STRICT', mtls: 'PERMISSIVE', workloadMtls: [{ service: 'user-service', mode: 'STRICT', portLevel: { 8080: 'DISABLE' } }] });
    const pas = all(objects, 'PeerAuthentication');
    expect(pas.map((p) => [p.metadata.namespace, p.metadata.name, p.spec])).toEqual([
      ['istio-system', 'default', { mtls: { mode: 'STRICT' } }],
      ['shop', 'default', { mtls: { mode: 'PERMISSIVE' } }],
      ['shop', 'user-service', { selector: { matchLabels: { app: 'user-service' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } }],
    ]);
    const manifests = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    expect(defaultChecks().flatMap((c) => c.check(manifests))).toEqual([]);
  });

  test('deny by default, then ALLOW exactly the declared callers with their methods and paths', () => {
    const { objects } = platform({});
    const policies = all(objects, 'AuthorizationPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['user-service', 'payment-service', 'allow-nothing']);
    expect(only(objects, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    expect(only(objects, 'AuthorizationPolicy', 'user-service').spec).toEqual({
      selector: { matchLabels: { app: 'user-service' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [principal('order-service')] } }], to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/users/*'] } }] }],
    });
    const req = (p: string, method: string, path: string) => ({ principal: p, method, path });
    expect(isAllowed(policies, workload('user-service'), req(principal('order-service'), 'GET', '/api/v1/users/42'))).toBe(true);
    expect(isAllowed(policies, workload('user-service'), req(principal('order-service'), 'DELETE', '/api/v1/users/42'))).toBe(false);
    expect(isAllowed(policies, workload('user-service'), req(principal('order-service'), 'GET', '/admin'))).toBe(false);
    expect(isAllowed(policies, workload('user-service'), req(principal('payment-service'), 'GET', '/api/v1/users/42'))).toBe(false);
    expect(isAllowed(policies, workload('order-service'), req(principal('user-service'), 'GET', '/'))).toBe(false);
  });

  test('public services: the gateway with a required JWT and role claim; RequestAuthentication alone would let token-less requests in', () => {
    const { objects } = platform({
      publicServices: ['user-service'],
      jwt: { services: ['user-service'], issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['user-service'], requiredClaims: { role: ['admin', 'user'] } },
      unauthenticatedPaths: ['/health'],
    });
    expect(only(objects, 'RequestAuthentication', 'user-service-jwt').spec).toEqual({
      selector: { matchLabels: { app: 'user-service' } },
      jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['user-service'], forwardOriginalToken: true }],
    });
    const policies = all(objects, 'AuthorizationPolicy');
    const viaGateway = (extra: object) => isAllowed(policies, workload('user-service'), { principal: GATEWAY, method: 'GET', path: '/api/v1/users/1', ...extra });
    expect(viaGateway({})).toBe(false);
    expect(viaGateway({ requestPrincipal: 'https://auth.example.com/alice', claims: { role: 'guest' } })).toBe(false);
    expect(viaGateway({ requestPrincipal: 'https://auth.example.com/alice', claims: { role: 'user' } })).toBe(true);
    expect(isAllowed(policies, workload('user-service'), { method: 'GET', path: '/health' })).toBe(true);
    expect(isAllowed(policies, workload('user-service'), { method: 'GET', path: '/api/v1/users/1' })).toBe(false);
  });

  test('DENY policies, tracing, and mesh settings of the pods', () => {
    const { objects } = platform({
      deny: [{ name: 'no-admin-from-payments', service: 'user-service', rules: [{ from: [{ source: { principals: [principal('payment-service')] } }], to: [{ operation: { paths: ['/admin/*'] } }] }] }],
      tracingSamplingPercentage: 10,
    });
    expect(only(objects, 'AuthorizationPolicy', 'no-admin-from-payments').spec.action).toBe('DENY');
    expect(only(objects, 'Telemetry').spec).toEqual({ tracing: [{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 10 }] });
    const d = only(objects, 'Deployment', 'user-service');
    expect(d.spec.template.metadata.annotations).toMatchObject({
      'sidecar.istio.io/proxyCPU': '100m', 'sidecar.istio.io/proxyCPULimit': '500m',
      'sidecar.istio.io/proxyMemory': '128Mi', 'sidecar.istio.io/proxyMemoryLimit': '512Mi',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
    });
    expect(container(d).name).toBe('user-service');
  });

  test('authorization off: mTLS and tracing only', () => {
    const { objects } = platform({ mtls: 'PERMISSIVE', authorization: false, tracingSamplingPercentage: 100 });
    expect(all(objects, 'AuthorizationPolicy')).toHaveLength(0);
    expect(all(objects, 'PeerAuthentication')).toHaveLength(1);
    expect(() => platform({ authorization: false, publicServices: ['user-service'] })).toThrow(/invalid publicServices: \["user-service"\]; allowed: nothing while authorization is false/);
  });

  test('sidecar injection per workload', () => {
    const app = new App();
    new MicroserviceChart(app, 'a', { image: IMAGE, mesh: { sidecar: false } });
    new MicroserviceChart(app, 'b', { image: IMAGE, mesh: { sidecar: true, proxyResources: { cpuRequest: '200m', cpuLimit: '1' }, holdApplicationUntilProxyStarts: false } });
    const objects = render(app);
    const a = only(objects, 'Deployment', 'a').spec.template.metadata;
    expect(a.labels['sidecar.istio.io/inject']).toBe('false');
    expect(a.annotations['sidecar.istio.io/proxyCPU']).toBeUndefined();
    const b = only(objects, 'Deployment', 'b').spec.template.metadata;
    expect(b.labels['sidecar.istio.io/inject']).toBe('true');
    expect(b.annotations['sidecar.istio.io/proxyCPU']).toBe('200m');
    expect(b.annotations['proxy.istio.io/config']).toBeUndefined();
    expect(only(objects, 'Deployment', 'b').spec.selector.matchLabels).toEqual({ app: 'b', version: 'v1' });
  });

  test.each<[string, Omit<MeshSecurityProps, 'namespace'>, string | RegExp]>([
    ['port-level mTLS on a port the workload does not have', { workloadMtls: [{ service: 'user-service', portLevel: { 9090: 'DISABLE' } }] }, /invalid workloadMtls\[0\].portLevel: 9090; allowed: a container port of user-service \(8080\)/],
    ['a port out of range', { workloadMtls: [{ service: 'user-service', portLevel: { 70000: 'DISABLE' } }] }, /invalid workloadMtls\[0\].portLevel: 70000; allowed: an integer from 1 to 65535/],
    ['an unknown service', { workloadMtls: [{ service: 'users', mode: 'STRICT' }] }, 'invalid workloadMtls[0].service: "users"; allowed: a service of this app in namespace "shop": user-service, order-service, payment-service'],
    ['a DENY without rules', { deny: [{ name: 'd', rules: [] }] }, /invalid deny\[0\].rules: \[\]; allowed: a non-empty list/],
    ['a principal the app does not create', { deny: [{ name: 'd', rules: [{ from: [{ source: { principals: [principal('ghost')] } }] }] }] }, /invalid deny\[0\].rules\[0\].from\[0\].source.principals\[0\]: "cluster.local\/ns\/shop\/sa\/ghost"; allowed: a ServiceAccount this app creates/],
    ['JWT on a non-public service', { jwt: { services: ['payment-service'], issuer: 'https://a', jwksUri: 'https://a/jwks' } }, /allowed: a service listed in publicServices/],
    ['JWKS over http', { publicServices: ['user-service'], jwt: { services: ['user-service'], issuer: 'https://a', jwksUri: 'http://a/jwks' } }, /invalid jwt.jwksUri: "http:\/\/a\/jwks"; allowed: an https:\/\/ URL/],
  ])('refuses %s', (_n, security, message) => {
    expect(() => platform(security)).toThrow(message);
  });

  test('refuses an unknown caller with the list of known services', () => {
    const app = new App();
    new MicroserviceChart(app, 'user-service', { image: IMAGE, namespace: 'shop', callers: ['ordr-service'] });
    expect(() => new MeshSecurity(app, 'mesh-security', { namespace: 'shop' })).toThrow('[mesh-security] invalid user-service.callers[0]: "ordr-service"; allowed: a service of this app in namespace "shop": user-service');
  });

  test('refuses STRICT mTLS with a DestinationRule that disables TLS to the same host', () => {
    expect(() => platform({}, (a) => {
      const svc = a.node.findChild('user-service') as MicroserviceChart;
      new CanaryRoute(svc, 'Route', { service: svc, trafficPolicy: { tls: { mode: 'DISABLE' } } });
    })).toThrow(/invalid user-service\/Route trafficPolicy.tls.mode: "DISABLE"; allowed: ISTIO_MUTUAL \(or no tls setting\) for user-service, whose pods require STRICT mTLS/);
    expect(() => platform({ mtls: 'PERMISSIVE' }, (a) => {
      const svc = a.node.findChild('user-service') as MicroserviceChart;
      new CanaryRoute(svc, 'Route', { service: svc, trafficPolicy: { tls: { mode: 'DISABLE' } } });
    })).not.toThrow();
  });
});

describe('the default app: the call graph matrix', () => {
  const prod = renderApp(buildDefaultApps().prod).flatMap((f) => f.objects.map((o) => o.manifest));
  const policies = prod.filter((o) => o.kind === 'AuthorizationPolicy');
  const services = ['user-service', 'product-service', 'order-service', 'payment-service'];
  // The declared graph (seed 004): order-service calls the three others; user-service only on GET/POST /api/v1/users/*.
  const declared: Record<string, { method: string; path: string } | undefined> = {
    'order-service->user-service': { method: 'GET', path: '/api/v1/users/42' },
    'order-service->product-service': { method: 'GET', path: '/api/v1/products' },
    'order-service->payment-service': { method: 'POST', path: '/api/v1/payments' },
  };
  const pairs = services.flatMap((caller) => services.filter((callee) => callee !== caller).map((callee) => [caller, callee] as const));

  test.each(pairs)('%s → %s is admitted exactly when declared', (caller, callee) => {
    const call = declared[`${caller}->${callee}`];
    const req = { principal: `cluster.local/ns/ecommerce/sa/${caller}`, ...(call ?? { method: 'GET', path: '/api/v1/anything' }) };
    const labels = only(prod, 'Deployment', callee).spec.template.metadata.labels;
    expect(isAllowed(policies, { namespace: 'ecommerce', labels }, req)).toBe(call !== undefined);
  });

  test('the declared narrowing holds: order-service may not DELETE users', () => {
    const labels = only(prod, 'Deployment', 'user-service').spec.template.metadata.labels;
    expect(isAllowed(policies, { namespace: 'ecommerce', labels }, { principal: 'cluster.local/ns/ecommerce/sa/order-service', method: 'DELETE', path: '/api/v1/users/42' })).toBe(false);
  });

  test('public services admit the gateway only with a token carrying role admin or user; payment-service is not public', () => {
    for (const svc of services) {
      const labels = only(prod, 'Deployment', svc).spec.template.metadata.labels;
      const withToken = isAllowed(policies, { namespace: 'ecommerce', labels }, { principal: GATEWAY, requestPrincipal: 'https://auth.example.com/u1', claims: { role: 'user' }, method: 'GET', path: '/' });
      const withoutToken = isAllowed(policies, { namespace: 'ecommerce', labels }, { principal: GATEWAY, method: 'GET', path: '/' });
      expect([svc, withToken, withoutToken]).toEqual([svc, svc !== 'payment-service', false]);
    }
  });

  test('STRICT mTLS in prod, PERMISSIVE in dev', () => {
    const dev = renderApp(buildDefaultApps().dev).flatMap((f) => f.objects.map((o) => o.manifest));
    expect(only(prod, 'PeerAuthentication', 'default').spec.mtls.mode).toBe('STRICT');
    expect(only(dev, 'PeerAuthentication', 'default').spec.mtls.mode).toBe('PERMISSIVE');
    // dev is reached through ingress-nginx, outside the mesh: no authorization policy may block it.
    expect(dev.filter((o) => o.kind === 'AuthorizationPolicy' || o.kind === 'RequestAuthentication')).toHaveLength(0);
  });
});
