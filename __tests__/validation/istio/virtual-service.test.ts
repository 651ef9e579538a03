import { describeRules, findings } from './rule-table';

const vs = () => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'user-service', namespace: 'shop' },
  spec: {
    hosts: ['user-service', 'user-api.example.com'],
    gateways: ['mesh', 'shop/edge'],
    http: [
      { name: 'testers', match: [{ headers: { 'x-user-type': { exact: 'tester' } } }], route: [{ destination: { host: 'user-service', subset: 'v2' } }] },
      {
        name: 'default',
        timeout: '5s',
        retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
        route: [{ destination: { host: 'user-service', subset: 'v1' }, weight: 90 }, { destination: { host: 'user-service', subset: 'v2' }, weight: 10 }],
      },
    ],
  } as any,
});
const h0 = (m: any) => m.spec.http[0];
const h1 = (m: any) => m.spec.http[1];
const match0 = (m: any) => h0(m).match[0];

describeRules('VirtualService', vs, [
  // hosts and gateways
  { name: 'hosts are valid domains', ok: (m) => { m.spec.hosts = ['*.example.com', 'x.example.com.']; }, bad: (m) => { m.spec.hosts[1] = 'user_api.example.com'; }, path: 'spec.hosts[1]', message: 'label "user_api" invalid' },
  { name: 'all-numeric top-level domain', bad: (m) => { m.spec.hosts[1] = 'api.example.123'; }, path: 'spec.hosts[1]', message: 'cannot be all-numeric' },
  { name: 'wildcard * only on gateways', ok: (m) => { m.spec.gateways = ['shop/edge']; m.spec.hosts = ['*']; }, bad: (m) => { m.spec.hosts = ['*']; }, path: 'spec.hosts[0]', message: 'wildcard host * is not allowed for virtual services bound to the mesh' },
  { name: 'duplicate hosts', bad: (m) => { m.spec.hosts = ['*.example.com', 'api.example.com']; }, path: 'spec.hosts[1]', message: 'duplicate hosts in virtual service: *.example.com & api.example.com' },
  { name: 'gateway reference namespace/name', ok: (m) => { m.spec.gateways = ['mesh', 'istio-system/public']; }, bad: (m) => { m.spec.gateways[1] = 'shop/'; }, path: 'spec.gateways[1]', message: 'namespace and gateway name cannot be empty' },
  { name: 'gateway reference with an invalid namespace', bad: (m) => { m.spec.gateways[1] = 'Shop_1/edge'; }, path: 'spec.gateways[1]', message: 'invalid namespace "Shop_1"' },
  { name: 'delegate (no hosts) without gateways', ok: (m) => { m.spec.hosts = []; m.spec.gateways = []; }, bad: (m) => { m.spec.hosts = []; }, path: 'spec.gateways', message: 'delegate VirtualService' },
  { name: 'a route kind is required', bad: (m) => { delete m.spec.http; }, path: 'spec', message: 'http, tcp or tls must be provided' },
  // weights
  { name: 'negative weight', ok: (m) => { h1(m).route[0].weight = 100; h1(m).route[1].weight = 0; }, bad: (m) => { h1(m).route[0].weight = -10; h1(m).route[1].weight = 110; }, path: 'spec.http[1].route[0].weight', message: 'weight -10 < 0' },
  { name: 'weights that do not sum to 100', bad: (m) => { h1(m).route[1].weight = 20; }, path: 'spec.http[1].route', message: 'total destination weight 110 != 100' },
  { name: 'all weights zero', bad: (m) => { h1(m).route[0].weight = 0; h1(m).route[1].weight = 0; }, path: 'spec.http[1].route', message: 'total destination weight = 0' },
  { name: 'destination required', bad: (m) => { delete h1(m).route[0].destination; }, path: 'spec.http[1].route[0].destination', message: 'destination is required' },
  { name: 'destination host "*"', bad: (m) => { h0(m).route[0].destination.host = '*'; }, path: 'spec.http[0].route[0].destination.host', message: 'invalid destination host "*"' },
  { name: 'subset name a DNS label', ok: (m) => { h0(m).route[0].destination.subset = 'canary-2'; }, bad: (m) => { h0(m).route[0].destination.subset = 'v2.1'; }, path: 'spec.http[0].route[0].destination.subset', message: 'subset name is invalid: "v2.1"' },
  { name: 'destination port 1-65535', ok: (m) => { h0(m).route[0].destination.port = { number: 8080 }; }, bad: (m) => { h0(m).route[0].destination.port = { number: 70000 }; }, path: 'spec.http[0].route[0].destination.port.number', message: 'port number 70000 must be in the range 1..65535' },
  // matches
  { name: 'empty header name', bad: (m) => { match0(m).headers = { '': { exact: 'x' } }; }, path: 'spec.http[0].match[0].headers[""]', message: 'header name cannot be empty' },
  { name: 'malformed header name', bad: (m) => { match0(m).headers = { 'x user': { exact: 'x' } }; }, path: 'spec.http[0].match[0].headers["x user"]', message: 'header name "x user" is not a valid header name' },
  { name: 'header name with a colon', bad: (m) => { match0(m).headers = { 'x-user:type': { exact: 'x' } }; }, path: 'spec.http[0].match[0].headers["x-user:type"]', message: 'is not a valid header name' },
  { name: 'upper-case header name', ok: (m) => { match0(m).headers = { 'x-user_type': { prefix: 'a' } }; }, bad: (m) => { match0(m).headers = { 'X-User-Type': { exact: 'x' } }; }, path: 'spec.http[0].match[0].headers.X-User-Type', message: 'must be lower-case' },
  { name: 'header presence match ({})', ok: (m) => { match0(m).headers = { 'x-debug': {} }; }, bad: (m) => { match0(m).headers = { 'x-debug': null }; }, path: 'spec.http[0].match[0].headers.x-debug', message: 'cannot be null' },
  { name: 'string match takes one of exact/prefix/regex', bad: (m) => { match0(m).uri = { exact: '/a', prefix: '/b' }; }, path: 'spec.http[0].match[0].uri', message: 'exactly one of exact, prefix or regex, not exact and prefix' },
  { name: 'empty prefix on a header', ok: (m) => { match0(m).uri = { prefix: '' }; }, bad: (m) => { match0(m).headers['x-user-type'] = { prefix: '' }; }, path: 'spec.http[0].match[0].headers.x-user-type.prefix', message: 'prefix string match should not be empty' },
  { name: 'regex with look-behind', ok: (m) => { match0(m).headers['x-user-type'] = { regex: '^(?:tester|qa)$' }; }, bad: (m) => { match0(m).headers['x-user-type'] = { regex: '(?<=beta-)tester' }; }, path: 'spec.http[0].match[0].headers.x-user-type.regex', message: /look-behind is not supported by RE2/ },
  { name: 'regex with look-ahead', bad: (m) => { match0(m).uri = { regex: '/api/(?!internal).*' }; }, path: 'spec.http[0].match[0].uri.regex', message: /look-ahead is not supported by RE2/ },
  { name: 'regex with a backreference', ok: (m) => { match0(m).uri = { regex: '/(v1|v2)/users/[0-9]+' }; }, bad: (m) => { match0(m).uri = { regex: '/(a+)/\\1' }; }, path: 'spec.http[0].match[0].uri.regex', message: /a backreference is not supported by RE2/ },
  { name: 'regex with a possessive quantifier', bad: (m) => { match0(m).queryParams = { id: { regex: '[0-9]++' } }; }, path: 'spec.http[0].match[0].queryParams.id.regex', message: /possessive quantifier/ },
  { name: 'regex that does not parse', bad: (m) => { match0(m).authority = { regex: '(unclosed' }; }, path: 'spec.http[0].match[0].authority.regex', message: 'missing closing )' },
  { name: 'regex longer than 1024', bad: (m) => { match0(m).uri = { regex: 'a'.repeat(1025) }; }, path: 'spec.http[0].match[0].uri.regex', message: 'max length allowed is 1024' },
  { name: 'empty regex', bad: (m) => { match0(m).uri = { regex: '' }; }, path: 'spec.http[0].match[0].uri.regex', message: 'regex string match should not be empty' },
  { name: 'withoutHeaders regex "*" means absent', ok: (m) => { match0(m).withoutHeaders = { 'x-internal': { regex: '*' } }; }, bad: (m) => { match0(m).withoutHeaders = { 'x-internal': { regex: 'a(?=b)' } }; }, path: 'spec.http[0].match[0].withoutHeaders.x-internal.regex', message: 'not a valid RE2 regex' },
  { name: 'JWT claim routing needs a gateway-only VirtualService', ok: (m) => { m.spec.gateways = ['shop/edge']; match0(m).headers = { '@request.auth.claims.role': { exact: 'admin' } }; }, bad: (m) => { match0(m).headers = { '@request.auth.claims.role': { exact: 'admin' } }; }, path: 'spec.http[0].match[0].headers["@request.auth.claims.role"]', message: 'JWT claim based routing' },
  { name: 'match port', ok: (m) => { match0(m).port = 8080; }, bad: (m) => { match0(m).port = 65536; }, path: 'spec.http[0].match[0].port', message: 'must be in the range 1..65535' },
  { name: 'sourceNamespace a namespace', ok: (m) => { match0(m).sourceNamespace = 'shop'; }, bad: (m) => { match0(m).sourceNamespace = 'shop.local'; }, path: 'spec.http[0].match[0].sourceNamespace', message: 'sourceNamespace match "shop.local" is invalid' },
  { name: 'sourceLabels', bad: (m) => { match0(m).sourceLabels = { 'app!': 'x' }; }, path: 'spec.http[0].match[0].sourceLabels["app!"]', message: 'invalid label key' },
  // route, redirect, direct response
  { name: 'redirect with destinations', ok: (m) => { delete h0(m).route; h0(m).redirect = { uri: '/v2' }; }, bad: (m) => { h0(m).redirect = { uri: '/v2' }; }, path: 'spec.http[0].redirect', message: 'cannot contain both route and redirect' },
  { name: 'rewrite and redirect', bad: (m) => { delete h0(m).route; h0(m).redirect = { uri: '/v2' }; h0(m).rewrite = { uri: '/' }; }, path: 'spec.http[0].redirect', message: 'cannot contain both rewrite and redirect' },
  { name: 'redirect needs a target', bad: (m) => { delete h0(m).route; h0(m).redirect = { redirectCode: 301 }; }, path: 'spec.http[0].redirect', message: 'redirect must specify URI, authority, scheme, or port' },
  { name: 'redirect code 3xx', ok: (m) => { delete h0(m).route; h0(m).redirect = { uri: '/v2', redirectCode: 308 }; }, bad: (m) => { delete h0(m).route; h0(m).redirect = { uri: '/v2', redirectCode: 200 }; }, path: 'spec.http[0].redirect.redirectCode', message: '200 is not a valid redirect code, must be 3xx' },
  { name: 'route, redirect or directResponse required', bad: (m) => { delete h0(m).route; }, path: 'spec.http[0].route', message: 'HTTP route, redirect or direct_response is required' },
  { name: 'directResponse status', ok: (m) => { delete h0(m).route; h0(m).directResponse = { status: 503 }; }, bad: (m) => { delete h0(m).route; h0(m).directResponse = { status: 99 }; }, path: 'spec.http[0].directResponse.status', message: 'HTTP status 99 is not in range 200-599' },
  { name: 'rewrite takes uri or uriRegexRewrite', ok: (m) => { h0(m).rewrite = { uriRegexRewrite: { match: '^/v1/(.*)$', rewrite: '/\\1' } }; }, bad: (m) => { h0(m).rewrite = { uri: '/', uriRegexRewrite: { match: '^/v1', rewrite: '/' } }; }, path: 'spec.http[0].rewrite', message: 'may only contain one of uri or uriRegexRewrite' },
  { name: 'uriRegexRewrite match is RE2', bad: (m) => { h0(m).rewrite = { uriRegexRewrite: { match: '^/(?<!x)v1', rewrite: '/' } }; }, path: 'spec.http[0].rewrite.uriRegexRewrite.match', message: 'look-behind' },
  // fault injection
  { name: 'abort httpStatus 600', ok: (m) => { h0(m).fault = { abort: { httpStatus: 599, percentage: { value: 10 } } }; }, bad: (m) => { h0(m).fault = { abort: { httpStatus: 600, percentage: { value: 10 } } }; }, path: 'spec.http[0].fault.abort.httpStatus', message: 'HTTP status 600 is not in range 200-599' },
  { name: 'abort httpStatus 99', ok: (m) => { h0(m).fault = { abort: { httpStatus: 200 } }; }, bad: (m) => { h0(m).fault = { abort: { httpStatus: 99 } }; }, path: 'spec.http[0].fault.abort.httpStatus', message: 'HTTP status 99 is not in range 200-599' },
  { name: 'abort grpcStatus name', ok: (m) => { h0(m).fault = { abort: { grpcStatus: 'UNAVAILABLE' } }; }, bad: (m) => { h0(m).fault = { abort: { grpcStatus: 'BROKEN' } }; }, path: 'spec.http[0].fault.abort.grpcStatus', message: 'gRPC status "BROKEN" is not supported' },
  { name: 'abort percentage 0-100', bad: (m) => { h0(m).fault = { abort: { httpStatus: 503, percentage: { value: 150 } } }; }, path: 'spec.http[0].fault.abort.percentage.value', message: 'percentage 150 is neither 0, nor in range [0.0001, 100]' },
  { name: 'delay percentage 0-100', ok: (m) => { h0(m).fault = { delay: { fixedDelay: '2s', percentage: { value: 0.5 } } }; }, bad: (m) => { h0(m).fault = { delay: { fixedDelay: '2s', percentage: { value: -1 } } }; }, path: 'spec.http[0].fault.delay.percentage.value', message: 'percentage -1' },
  { name: 'delay fixedDelay at least 1ms', bad: (m) => { h0(m).fault = { delay: { fixedDelay: '500us', percentage: { value: 1 } } }; }, path: 'spec.http[0].fault.delay.fixedDelay', message: 'must be at least 1ms' },
  { name: 'fault needs abort or delay', bad: (m) => { h0(m).fault = {}; }, path: 'spec.http[0].fault', message: 'must have an abort and/or a delay' },
  { name: 'fault and redirect', bad: (m) => { delete h0(m).route; h0(m).redirect = { uri: '/x' }; h0(m).fault = { abort: { httpStatus: 503 } }; }, path: 'spec.http[0].redirect', message: 'cannot contain both fault and redirect' },
  // mirroring
  { name: 'mirror percentage 0-100', ok: (m) => { h0(m).mirror = { host: 'user-service', subset: 'v2' }; h0(m).mirrorPercentage = { value: 100 }; }, bad: (m) => { h0(m).mirror = { host: 'user-service', subset: 'v2' }; h0(m).mirrorPercentage = { value: 101 }; }, path: 'spec.http[0].mirrorPercentage.value', message: 'mirror percentage must be in range 0..100' },
  { name: 'mirror and mirrors', bad: (m) => { h0(m).mirror = { host: 'a.example.com' }; h0(m).mirrors = [{ destination: { host: 'b.example.com' } }]; }, path: 'spec.http[0].mirrors', message: 'both mirror and mirrors' },
  { name: 'mirrors need a destination', ok: (m) => { h0(m).mirrors = [{ destination: { host: 'b.example.com' }, percentage: { value: 5 } }]; }, bad: (m) => { h0(m).mirrors = [{ percentage: { value: 5 } }]; }, path: 'spec.http[0].mirrors[0].destination', message: 'destination is required for mirrors' },
  // timeouts and retries
  { name: 'timeout at least 1ms', ok: (m) => { h1(m).timeout = '1ms'; }, bad: (m) => { h1(m).timeout = '0.5ms'; }, path: 'spec.http[1].timeout', message: 'must be at least 1ms' },
  { name: 'timeout to ms precision', bad: (m) => { h1(m).timeout = '1.5ms'; }, path: 'spec.http[1].timeout', message: 'only durations to ms precision' },
  { name: 'timeout not a duration', bad: (m) => { h1(m).timeout = '5 seconds'; }, path: 'spec.http[1].timeout', message: 'is not a duration' },
  { name: 'perTryTimeout at least 1ms', bad: (m) => { h1(m).retries.perTryTimeout = '0s'; }, path: 'spec.http[1].retries.perTryTimeout', message: 'must be at least 1ms' },
  { name: 'retryOn values', ok: (m) => { h1(m).retries.retryOn = 'gateway-error,503,retriable-status-codes'; }, bad: (m) => { h1(m).retries.retryOn = '5xx,on-timeout'; }, path: 'spec.http[1].retries.retryOn', message: '"on-timeout" is not a valid retryOn policy' },
  { name: 'retry policy with attempts 0', ok: (m) => { h1(m).retries = { attempts: 0 }; }, bad: (m) => { h1(m).retries.attempts = 0; }, path: 'spec.http[1].retries.attempts', message: 'attempts are set to 0' },
  { name: 'negative attempts', bad: (m) => { h1(m).retries.attempts = -1; }, path: 'spec.http[1].retries.attempts', message: 'attempts cannot be negative' },
  // CORS
  { name: 'CORS origins non-empty', ok: (m) => { h0(m).corsPolicy = { allowOrigins: [{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }] }; }, bad: (m) => { h0(m).corsPolicy = { allowOrigins: [{ exact: '' }] }; }, path: 'spec.http[0].corsPolicy.allowOrigins[0]', message: 'needs a non-empty exact, prefix or regex' },
  { name: 'CORS origin regex is RE2', bad: (m) => { h0(m).corsPolicy = { allowOrigins: [{ regex: '(?i)https://(?!evil).*' }] }; }, path: 'spec.http[0].corsPolicy.allowOrigins[0].regex', message: 'look-ahead' },
  { name: 'CORS methods', ok: (m) => { h0(m).corsPolicy = { allowMethods: ['GET', 'POST'] }; }, bad: (m) => { h0(m).corsPolicy = { allowMethods: ['get'] }; }, path: 'spec.http[0].corsPolicy.allowMethods[0]', message: '"get" is not a supported HTTP method' },
  { name: 'CORS header names', ok: (m) => { h0(m).corsPolicy = { allowHeaders: ['*', 'x-request-id'] }; }, bad: (m) => { h0(m).corsPolicy = { allowHeaders: ['x request'] }; }, path: 'spec.http[0].corsPolicy.allowHeaders[0]', message: 'is not a valid header name' },
  { name: 'CORS maxAge in seconds', ok: (m) => { h0(m).corsPolicy = { maxAge: '24h' }; }, bad: (m) => { h0(m).corsPolicy = { maxAge: '1500ms' }; }, path: 'spec.http[0].corsPolicy.maxAge', message: 'seconds precision' },
  // header operations
  { name: 'header operation names', ok: (m) => { h0(m).headers = { request: { set: { 'x-version': 'v2', ':authority': 'api.example.com' } }, response: { remove: ['server'] } }; }, bad: (m) => { h0(m).headers = { request: { set: { '': 'x' } } }; }, path: 'spec.http[0].headers.request.set[""]', message: 'header name cannot be empty' },
  { name: 'pseudo-headers cannot be set', bad: (m) => { h0(m).headers = { request: { add: { ':path': '/x' } } }; }, path: 'spec.http[0].headers.request.add[":path"]', message: 'header cannot have ":" prefix' },
  { name: 'Host cannot be removed', bad: (m) => { h0(m).headers = { request: { remove: ['Host'] } }; }, path: 'spec.http[0].headers.request.remove[0]', message: 'cannot remove the Host header' },
  { name: 'response Host cannot be set', bad: (m) => { h0(m).headers = { response: { set: { host: 'x' } } }; }, path: 'spec.http[0].headers.response.set.host', message: 'cannot set Host header' },
  { name: 'header value % escapes', ok: (m) => { h0(m).headers = { response: { set: { 'x-served-by': '%HOSTNAME%', 'x-load': '100%%' } } }; }, bad: (m) => { h0(m).headers = { response: { set: { 'x-load': '100%' } } }; }, path: 'spec.http[0].headers.response.set.x-load', message: 'unterminated "%"' },
  { name: 'destination header operations', bad: (m) => { h0(m).route[0].headers = { request: { set: { ':method': 'GET' } } }; }, path: 'spec.http[0].route[0].headers.request.set[":method"]', message: 'header cannot have ":" prefix' },
  { name: 'authority set once', bad: (m) => { h0(m).rewrite = { authority: 'a.example.com' }; h0(m).headers = { request: { set: { host: 'b.example.com' } } }; }, path: 'spec.http[0].headers.request.set.host', message: 'the authority header cannot be set more than once' },
  // warnings
  { name: 'duplicate route names (warning)', bad: (m) => { h1(m).name = 'testers'; }, path: 'spec.http[1].name', message: 'route name "testers" is already used by spec.http[0]', severity: 'warning' },
  { name: 'catch-all route before others (warning)', bad: (m) => { delete h0(m).match; }, path: 'spec.http[1]', message: 'unreachable', severity: 'warning' },
  // tcp and tls routes
  { name: 'tcp route needs destinations', ok: (m) => { m.spec.tcp = [{ match: [{ port: 5432 }], route: [{ destination: { host: 'db.example.com' } }] }]; }, bad: (m) => { m.spec.tcp = [{ match: [{ port: 5432 }] }]; }, path: 'spec.tcp[0].route', message: 'TCP route is required' },
  { name: 'tcp destination subnets', bad: (m) => { m.spec.tcp = [{ match: [{ destinationSubnets: ['10.0.0.0/33'] }], route: [{ destination: { host: 'db.example.com' } }] }]; }, path: 'spec.tcp[0].match[0].destinationSubnets[0]', message: 'is not a valid IP address or CIDR block' },
  { name: 'tls SNI hosts within the VirtualService hosts', ok: (m) => { m.spec.tls = [{ match: [{ sniHosts: ['user-api.example.com'] }], route: [{ destination: { host: 'user-service' } }] }]; }, bad: (m) => { m.spec.tls = [{ match: [{ sniHosts: ['other.example.com'] }], route: [{ destination: { host: 'user-service' } }] }]; }, path: 'spec.tls[0].match[0].sniHosts[0]', message: 'is not a compatible subset' },
  { name: 'exportTo', ok: (m) => { m.spec.exportTo = ['.', 'istio-system']; }, bad: (m) => { m.spec.exportTo = ['*', 'shop']; }, path: 'spec.exportTo', message: 'cannot have both public (*) and non-public' },
]);

describe('VirtualService API versions', () => {
  test.each(['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'])('%s is checked', (apiVersion) => {
    const m = vs();
    m.apiVersion = apiVersion;
    m.spec.http[1].route[0].weight = -1;
    expect(findings(m).map((f) => f.path)).toContain('spec.http[1].route[0].weight');
  });

  test('an unknown group is skipped', () => {
    const m = vs();
    m.apiVersion = 'networking.example.com/v1';
    m.spec.http[1].route[0].weight = -1;
    expect(findings(m)).toEqual([]);
  });
});
