import { describeRules } from './rule-table';

const peerAuth = () => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'user-service', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'user-service' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } } as any,
});

describeRules('PeerAuthentication', peerAuth, [
  { name: 'port-level mTLS requires a selector', ok: (m) => { delete m.spec.portLevelMtls; delete m.spec.selector; }, bad: (m) => { delete m.spec.selector; }, path: 'spec.portLevelMtls', message: 'cannot have port level mTLS' },
  { name: 'port-level mTLS not empty', bad: (m) => { m.spec.portLevelMtls = {}; }, path: 'spec.portLevelMtls', message: 'must have at least one element' },
  { name: 'port range', bad: (m) => { m.spec.portLevelMtls = { 70000: { mode: 'DISABLE' } }; }, path: 'spec.portLevelMtls.70000', message: 'must be in range 1..65535' },
  { name: 'selector without wildcards', bad: (m) => { m.spec.selector.matchLabels.app = '*'; }, path: 'spec.selector.matchLabels.app', message: 'wildcard is not supported' },
]);

const requestAuth = () => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'RequestAuthentication',
  metadata: { name: 'user-service-jwt', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'user-service' } },
    jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['shop'], fromHeaders: [{ name: 'authorization', prefix: 'Bearer ' }] }],
  } as any,
});
const jwt = (m: any) => m.spec.jwtRules[0];

describeRules('RequestAuthentication', requestAuth, [
  { name: 'issuer required', bad: (m) => { jwt(m).issuer = ''; }, path: 'spec.jwtRules[0].issuer', message: 'issuer must be set' },
  { name: 'jwksUri is an http(s) URL', ok: (m) => { jwt(m).jwksUri = 'http://keycloak.auth:8080/certs'; }, bad: (m) => { jwt(m).jwksUri = 'ftp://auth.example.com/jwks.json'; }, path: 'spec.jwtRules[0].jwksUri', message: 'jwksUri scheme "ftp" is not supported' },
  { name: 'jwksUri parses', bad: (m) => { jwt(m).jwksUri = 'auth.example.com/jwks'; }, path: 'spec.jwtRules[0].jwksUri', message: 'is not a URL' },
  { name: 'jwks and jwksUri exclusive', ok: (m) => { delete jwt(m).jwksUri; jwt(m).jwks = '{"keys":[]}'; }, bad: (m) => { jwt(m).jwks = '{"keys":[]}'; }, path: 'spec.jwtRules[0].jwks', message: 'only one of jwks and jwksUri' },
  { name: 'jwks is a key set', bad: (m) => { delete jwt(m).jwksUri; jwt(m).jwks = 'not json'; }, path: 'spec.jwtRules[0].jwks', message: 'jwks parse error' },
  { name: 'fromHeaders names', bad: (m) => { jwt(m).fromHeaders = [{ name: '' }]; }, path: 'spec.jwtRules[0].fromHeaders[0].name', message: 'location header name must be a non-empty string' },
  { name: 'fromHeaders name is a header token', bad: (m) => { jwt(m).fromHeaders = [{ name: 'x token' }]; }, path: 'spec.jwtRules[0].fromHeaders[0].name', message: 'is not a valid header name' },
  { name: 'audiences non-empty', bad: (m) => { jwt(m).audiences = ['']; }, path: 'spec.jwtRules[0].audiences[0]', message: 'audience must be a non-empty string' },
  { name: 'outputClaimToHeaders', ok: (m) => { jwt(m).outputClaimToHeaders = [{ header: 'x-user', claim: 'sub' }]; }, bad: (m) => { jwt(m).outputClaimToHeaders = [{ header: 'x user', claim: 'sub' }]; }, path: 'spec.jwtRules[0].outputClaimToHeaders[0].header', message: 'is not a valid header name' },
  { name: 'selector or targetRef', ok: (m) => { delete m.spec.selector; m.spec.targetRef = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'edge' }; }, bad: (m) => { m.spec.targetRef = { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'edge' }; }, path: 'spec.targetRef', message: 'only one of selector or targetRef' },
  { name: 'targetRef kind', bad: (m) => { delete m.spec.selector; m.spec.targetRef = { kind: 'Deployment', group: 'apps', name: 'x' }; }, path: 'spec.targetRef.kind', message: 'targetRef must be to a Service' },
]);

const authz = () => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'user-service', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'user-service' } },
    action: 'ALLOW',
    rules: [
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/order-service'] } }], to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/users/*'], ports: ['8080'] } }] },
      { from: [{ source: { requestPrincipals: ['*'] } }], when: [{ key: 'request.auth.claims[role]', values: ['admin'] }] },
    ],
  } as any,
});
const rule = (m: any, i = 0) => m.spec.rules[i];

describeRules('AuthorizationPolicy', authz, [
  { name: 'CUSTOM needs a provider', ok: (m) => { m.spec.action = 'CUSTOM'; m.spec.provider = { name: 'ext-authz' }; m.spec.rules = [{ to: [{ operation: { paths: ['/admin/*'] } }] }]; }, bad: (m) => { m.spec.action = 'CUSTOM'; m.spec.rules = [{ to: [{ operation: { paths: ['/admin/*'] } }] }]; }, path: 'spec.provider.name', message: 'provider.name must not be empty' },
  { name: 'CUSTOM without rules', bad: (m) => { m.spec.action = 'CUSTOM'; m.spec.provider = { name: 'ext-authz' }; delete m.spec.rules; }, path: 'spec.rules', message: 'CUSTOM action without rules is never triggered' },
  { name: 'CUSTOM cannot use principals', bad: (m) => { m.spec.action = 'CUSTOM'; m.spec.provider = { name: 'ext-authz' }; }, path: 'spec.rules[0].from[0].source.principals', message: 'not supported with the CUSTOM action' },
  { name: 'provider only with CUSTOM', bad: (m) => { m.spec.provider = { name: 'ext-authz' }; }, path: 'spec.provider', message: 'provider must not be set with action ALLOW' },
  { name: 'DENY without rules', ok: (m) => { m.spec.action = 'DENY'; m.spec.rules = [{}]; }, bad: (m) => { m.spec.action = 'DENY'; delete m.spec.rules; }, path: 'spec.rules', message: 'DENY action without rules is never triggered' },
  { name: 'AUDIT without rules', ok: (m) => { m.spec.action = 'AUDIT'; }, bad: (m) => { m.spec.action = 'AUDIT'; delete m.spec.rules; }, path: 'spec.rules', message: 'AUDIT action without rules' },
  { name: 'from not empty', bad: (m) => { rule(m).from = []; }, path: 'spec.rules[0].from', message: 'from must not be empty' },
  { name: 'from.source not empty', bad: (m) => { rule(m).from = [{ source: {} }]; }, path: 'spec.rules[0].from[0].source', message: 'from.source must not be empty' },
  { name: 'to.operation not empty', bad: (m) => { rule(m).to = [{ operation: {} }]; }, path: 'spec.rules[0].to[0].operation', message: 'to.operation must not be empty' },
  { name: 'empty principal', bad: (m) => { rule(m).from[0].source.principals = ['']; }, path: 'spec.rules[0].from[0].source.principals[0]', message: 'empty value not allowed in principals' },
  { name: 'principal wildcard in the middle (warning)', ok: (m) => { rule(m).from[0].source.principals = ['cluster.local/ns/shop/*', '*/sa/order-service', '*']; }, bad: (m) => { rule(m).from[0].source.principals = ['cluster.local/ns/*/sa/order-service']; }, path: 'spec.rules[0].from[0].source.principals[0]', message: 'here it is a literal', severity: 'warning' },
  { name: 'namespaces are names', ok: (m) => { rule(m).from[0].source.namespaces = ['shop', 'team-*']; }, bad: (m) => { rule(m).from[0].source.namespaces = ['Shop NS']; }, path: 'spec.rules[0].from[0].source.namespaces[0]', message: 'is not a namespace name' },
  { name: 'ipBlocks are IPs or CIDRs', ok: (m) => { rule(m).from[0].source.ipBlocks = ['10.0.0.0/8', '2001:db8::1']; }, bad: (m) => { rule(m).from[0].source.ipBlocks = ['10.0.0.0/40']; }, path: 'spec.rules[0].from[0].source.ipBlocks[0]', message: 'bad IP address or CIDR block "10.0.0.0/40"' },
  { name: 'methods upper-case', bad: (m) => { rule(m).to[0].operation.methods = ['get']; }, path: 'spec.rules[0].to[0].operation.methods[0]', message: 'method "get" must be upper-case' },
  { name: 'ports valid', bad: (m) => { rule(m).to[0].operation.ports = ['http']; }, path: 'spec.rules[0].to[0].operation.ports[0]', message: 'bad port "http"' },
  { name: 'path templates supported', ok: (m) => { rule(m).to[0].operation.paths = ['/api/{*}/users/{**}']; }, bad: (m) => { rule(m).to[0].operation.paths = ['/api/{*}/users/{id}']; }, path: 'spec.rules[0].to[0].operation.paths[0]', message: 'invalid or unsupported path template' },
  { name: 'when keys known', ok: (m) => { rule(m, 1).when = [{ key: 'source.ip', values: ['10.0.0.0/8'] }, { key: 'request.headers[x-tenant]', values: ['a'] }, { key: 'destination.port', notValues: ['9090'] }]; }, bad: (m) => { rule(m, 1).when = [{ key: 'request.auth.role', values: ['admin'] }]; }, path: 'spec.rules[1].when[0].key', message: 'unknown attribute "request.auth.role"' },
  { name: 'when claims key needs [name]', bad: (m) => { rule(m, 1).when = [{ key: 'request.auth.claims', values: ['admin'] }]; }, path: 'spec.rules[1].when[0].key', message: 'should have the form a[b]' },
  { name: 'when source.ip values', bad: (m) => { rule(m, 1).when = [{ key: 'source.ip', values: ['not-an-ip'] }]; }, path: 'spec.rules[1].when[0].key', message: 'bad IP address or CIDR block "not-an-ip"' },
  { name: 'when needs values', bad: (m) => { rule(m, 1).when = [{ key: 'source.namespace' }]; }, path: 'spec.rules[1].when[0]', message: 'at least one of values or notValues must be set' },
  { name: 'when destination.namespace replaced', bad: (m) => { rule(m, 1).when = [{ key: 'destination.namespace', values: ['shop'] }]; }, path: 'spec.rules[1].when[0].key', message: 'is replaced by the policy\'s metadata.namespace' },
  { name: 'dry-run annotation only for ALLOW/DENY', ok: (m) => { m.metadata.annotations = { 'istio.io/dry-run': 'true' }; }, bad: (m) => { m.metadata.annotations = { 'istio.io/dry-run': 'yes' }; }, path: 'metadata.annotations["istio.io/dry-run"]', message: 'invalid dry-run value "yes"' },
]);

const telemetry = () => ({
  apiVersion: 'telemetry.istio.io/v1',
  kind: 'Telemetry',
  metadata: { name: 'mesh-default', namespace: 'istio-system' },
  spec: { tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 10 }] } as any,
});

describeRules('Telemetry', telemetry, [
  { name: 'sampling percentage 0-100', ok: (m) => { m.spec.tracing[0].randomSamplingPercentage = 100; }, bad: (m) => { m.spec.tracing[0].randomSamplingPercentage = 101; }, path: 'spec.tracing[0].randomSamplingPercentage', message: 'must be in range [0.0, 100.0]' },
  { name: 'negative sampling', bad: (m) => { m.spec.tracing[0].randomSamplingPercentage = -1; }, path: 'spec.tracing[0].randomSamplingPercentage', message: 'must be in range [0.0, 100.0]' },
  { name: 'provider names', bad: (m) => { m.spec.tracing[0].providers = [{ name: '' }]; }, path: 'spec.tracing[0].providers[0].name', message: 'providers.name may not be empty' },
  { name: 'custom tag literal', ok: (m) => { m.spec.tracing[0].customTags = { env: { literal: { value: 'prod' } } }; }, bad: (m) => { m.spec.tracing[0].customTags = { env: { literal: { value: '' } } }; }, path: 'spec.tracing[0].customTags.env.literal.value', message: 'literal tag value may not be empty' },
  { name: 'tag override UPSERT needs a value', ok: (m) => { m.spec.metrics = [{ overrides: [{ tagOverrides: { request_protocol: { operation: 'REMOVE' } } }] }]; }, bad: (m) => { m.spec.metrics = [{ overrides: [{ tagOverrides: { request_protocol: { operation: 'UPSERT' } } }] }]; }, path: 'spec.metrics[0].overrides[0].tagOverrides.request_protocol.value', message: 'must be set when operation is UPSERT' },
]);

const sidecar = () => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Sidecar',
  metadata: { name: 'default', namespace: 'shop' },
  spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }] } as any,
});

describeRules('Sidecar', sidecar, [
  { name: 'egress hosts namespace/host', ok: (m) => { m.spec.egress[0].hosts = ['*/api.example.com', '~/*', 'shop/*.svc.example.com']; }, bad: (m) => { m.spec.egress[0].hosts = ['api.example.com']; }, path: 'spec.egress[0].hosts[0]', message: 'must be of form namespace/dnsName' },
  { name: 'egress host namespace valid', bad: (m) => { m.spec.egress[0].hosts = ['Shop_NS/*']; }, path: 'spec.egress[0].hosts[0]', message: 'invalid namespace "Shop_NS"' },
  { name: 'egress hosts required', bad: (m) => { m.spec.egress[0].hosts = []; }, path: 'spec.egress[0].hosts', message: 'must contain at least one host' },
  { name: 'catch-all egress listener last', ok: (m) => { m.spec.egress.unshift({ port: { number: 5432, protocol: 'TCP', name: 'pg' }, hosts: ['./db.shop.svc.cluster.local'] }); }, bad: (m) => { m.spec.egress.push({ port: { number: 5432, protocol: 'TCP', name: 'pg' }, hosts: ['./db.shop.svc.cluster.local'] }); }, path: 'spec.egress[0]', message: 'must be the last listener' },
  { name: 'empty configuration', bad: (m) => { m.spec = {}; }, path: 'spec', message: 'empty configuration' },
  { name: 'workloadSelector without wildcards', ok: (m) => { m.spec.workloadSelector = { labels: { app: 'web' } }; }, bad: (m) => { m.spec.workloadSelector = { labels: { app: 'web*' } }; }, path: 'spec.workloadSelector.labels.app', message: 'wildcard is not supported' },
  { name: 'ingress ports unique', ok: (m) => { m.spec.ingress = [{ port: { number: 8080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '127.0.0.1:8080' }]; }, bad: (m) => { m.spec.ingress = [{ port: { number: 8080, protocol: 'HTTP', name: 'http' } }, { port: { number: 8080, protocol: 'HTTP', name: 'http2' } }]; }, path: 'spec.ingress[1].port.number', message: 'ports on IP bound listeners must be unique' },
  { name: 'ingress defaultEndpoint form', bad: (m) => { m.spec.ingress = [{ port: { number: 8080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '10.0.0.1:8080' }]; }, path: 'spec.ingress[0].defaultEndpoint', message: 'defaultEndpoint must be of form 127.0.0.1:<port>' },
  { name: 'egressProxy only with ALLOW_ANY', bad: (m) => { m.spec.outboundTrafficPolicy = { mode: 'REGISTRY_ONLY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } }; }, path: 'spec.outboundTrafficPolicy.egressProxy', message: 'only with the ALLOW_ANY' },
]);
