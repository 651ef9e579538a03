import { App } from 'cdk8s';
import { isAllowed, MeshSecurity, MeshSecurityProps, MicroserviceChart, PlatformNamespace } from '../../lib';
import { all, IMAGE, only, render } from '../helpers';
import { findings } from '../traffic/bookinfo';

/**
 * JWT inside the mesh (Istio tasks authz-jwt, authz-jwt-claims, authn-require-any-jwt): httpbin is
 * called by sleep with an end user's token, and by a metrics scraper without one.
 */
const ISSUER = 'testing@secure.istio.io';
const JWKS = 'https://raw.githubusercontent.com/istio/istio/release-1.13/security/tools/jwt/samples/jwks.json';
const principal = (sa: string) => `cluster.local/ns/foo/sa/${sa}`;
const httpbinPods = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };

function mesh(security: Omit<MeshSecurityProps, 'namespace'>) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'foo', istioInjection: true });
  new MicroserviceChart(app, 'httpbin', { image: IMAGE, namespace: 'foo', callers: ['sleep', 'scraper'] });
  new MicroserviceChart(app, 'sleep', { image: IMAGE, namespace: 'foo' });
  new MicroserviceChart(app, 'scraper', { image: IMAGE, namespace: 'foo' });
  new MeshSecurity(app, 'mesh-security', { namespace: 'foo', ...security });
  return { app, objects: render(app) };
}

describe('JWT inside the mesh', () => {
  test('a token of one subject with groups: [group1] required on calls from sleep; the scraper keeps its token-less access', () => {
    const { app, objects } = mesh({
      workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS, callers: ['sleep'], subjects: [ISSUER], requiredClaims: { groups: ['group1'] } }],
    });
    expect(only(objects, 'RequestAuthentication', 'httpbin-jwt').spec).toEqual({
      selector: { matchLabels: { app: 'httpbin' } },
      jwtRules: [{ issuer: ISSUER, jwksUri: JWKS, forwardOriginalToken: true }],
    });
    expect(only(objects, 'AuthorizationPolicy', 'httpbin').spec).toEqual({
      selector: { matchLabels: { app: 'httpbin' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: [principal('sleep')], requestPrincipals: ['testing@secure.istio.io/testing@secure.istio.io'] } }],
          when: [{ key: 'request.auth.claims[groups]', values: ['group1'] }],
        },
        { from: [{ source: { principals: [principal('scraper')] } }] },
      ],
    });
    const policies = all(objects, 'AuthorizationPolicy');
    const fromSleep = (token: object) => isAllowed(policies, httpbinPods, { principal: principal('sleep'), method: 'GET', path: '/headers', ...token });
    expect(fromSleep({ requestPrincipal: `${ISSUER}/${ISSUER}`, claims: { groups: ['group1', 'group2'] } })).toBe(true);
    expect(fromSleep({})).toBe(false);
    expect(fromSleep({ requestPrincipal: `${ISSUER}/${ISSUER}`, claims: { groups: ['group2'] } })).toBe(false);
    expect(fromSleep({ requestPrincipal: `${ISSUER}/someone-else`, claims: { groups: ['group1'] } })).toBe(false);
    expect(isAllowed(policies, httpbinPods, { principal: principal('scraper'), method: 'GET', path: '/metrics' })).toBe(true);
    // The token does not stand in for the caller's identity.
    expect(isAllowed(policies, httpbinPods, { principal: principal('httpbin'), requestPrincipal: `${ISSUER}/${ISSUER}`, claims: { groups: ['group1'] }, method: 'GET', path: '/' })).toBe(false);
    expect(findings(app)).toEqual([]);
  });

  test('any subject of the issuer from every declared caller by default (authn-require-any-jwt); two issuers are either accepted', () => {
    const { objects } = mesh({
      workloadJwt: [
        { service: 'httpbin', issuer: 'issuer-foo', jwksUri: 'https://example.com/.well-known/jwks.json' },
        { service: 'httpbin', issuer: 'issuer-bar', jwksUri: 'https://bar.example.com/jwks.json', audiences: ['httpbin'], callers: ['sleep'] },
      ],
    });
    expect(only(objects, 'RequestAuthentication', 'httpbin-jwt').spec.jwtRules.map((r: any) => r.issuer)).toEqual(['issuer-foo', 'issuer-bar']);
    const policies = all(objects, 'AuthorizationPolicy');
    const call = (sa: string, requestPrincipal?: string) => isAllowed(policies, httpbinPods, { principal: principal(sa), requestPrincipal, method: 'GET', path: '/' });
    expect(call('sleep', 'issuer-foo/alice')).toBe(true);
    expect(call('sleep', 'issuer-bar/bob')).toBe(true);
    expect(call('sleep')).toBe(false);
    expect(call('scraper', 'issuer-foo/alice')).toBe(true);
    expect(call('scraper', 'issuer-bar/bob')).toBe(false);
    expect(call('scraper')).toBe(false);
  });

  test('gateway tokens limited to listed subjects', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'foo', istioInjection: true });
    new MicroserviceChart(app, 'httpbin', { image: IMAGE, namespace: 'foo' });
    new MeshSecurity(app, 'mesh-security', {
      namespace: 'foo', publicServices: ['httpbin'],
      jwt: { services: ['httpbin'], issuer: ISSUER, jwksUri: JWKS, subjects: ['alice', 'bob'] },
    });
    expect(only(render(app), 'AuthorizationPolicy', 'httpbin').spec.rules[0].from[0].source.requestPrincipals).toEqual([`${ISSUER}/alice`, `${ISSUER}/bob`]);
  });

  test.each<[string, Omit<MeshSecurityProps, 'namespace'>, string | RegExp]>([
    ['a caller the service does not declare', { workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS, callers: ['httpbin'] }] },
      '[mesh-security] invalid workloadJwt[0].callers[0]: "httpbin"; allowed: a declared caller of httpbin: sleep, scraper'],
    ['a service without callers', { workloadJwt: [{ service: 'sleep', issuer: ISSUER, jwksUri: JWKS }] }, /invalid workloadJwt\[0\].callers: undefined; allowed: callers of sleep that send the token: it declares none/],
    ['an unknown service', { workloadJwt: [{ service: 'nope', issuer: ISSUER, jwksUri: JWKS }] }, /invalid workloadJwt\[0\].service: "nope"/],
    ['a plain-HTTP key set', { workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: 'http://keys' }] }, /invalid workloadJwt\[0\].jwksUri: "http:\/\/keys"; allowed: an https:\/\/ URL/],
    ['one issuer twice for a service', { workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS }, { service: 'httpbin', issuer: ISSUER, jwksUri: JWKS }] },
      /invalid workloadJwt\[1\].issuer: "testing@secure.istio.io"; allowed: one token rule per issuer and service/],
    ['an empty claim list', { workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS, requiredClaims: { groups: [] } }] }, /invalid workloadJwt\[0\].requiredClaims.groups: \[\]/],
    ['a claim name with brackets', { workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS, requiredClaims: { 'a]b': ['x'] } }] }, /invalid workloadJwt\[0\].requiredClaims.a\]b/],
    ['an empty subject list', { workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS, subjects: [] }] }, /invalid workloadJwt\[0\].subjects: \[\]/],
    ['tokens while authorization is off', { authorization: false, workloadJwt: [{ service: 'httpbin', issuer: ISSUER, jwksUri: JWKS }] }, /invalid workloadJwt: .*allowed: nothing while authorization is false/],
    ['null entry (plain JavaScript)', { workloadJwt: [null as any] }, /invalid workloadJwt\[0\]: null/],
  ])('refused: %s', (_name, security, message) => {
    expect(() => mesh(security)).toThrow(message);
  });
});
