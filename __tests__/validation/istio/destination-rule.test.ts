import { describeRules } from './rule-table';

const dr = () => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'user-service', namespace: 'shop' },
  spec: {
    host: 'user-service',
    trafficPolicy: {
      loadBalancer: { simple: 'LEAST_REQUEST' },
      connectionPool: { tcp: { maxConnections: 100, connectTimeout: '3s' }, http: { http1MaxPendingRequests: 10, maxRetries: 3 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      tls: { mode: 'ISTIO_MUTUAL' },
    },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  } as any,
});
const tp = (m: any) => m.spec.trafficPolicy;

describeRules('DestinationRule', dr, [
  { name: 'host is a domain', ok: (m) => { m.spec.host = '*.shop.svc.cluster.local'; }, bad: (m) => { m.spec.host = 'user service'; }, path: 'spec.host', message: 'invalid (label "user service" invalid)' },
  { name: 'host required', bad: (m) => { delete m.spec.host; }, path: 'spec.host', message: 'empty domain name not allowed' },
  { name: 'subset names unique', bad: (m) => { m.spec.subsets[1].name = 'v1'; }, path: 'spec.subsets[1].name', message: 'duplicate subset name "v1"' },
  { name: 'subset names are DNS labels', ok: (m) => { m.spec.subsets[1].name = 'canary'; }, bad: (m) => { m.spec.subsets[1].name = 'v2_beta'; }, path: 'spec.subsets[1].name', message: 'subset name is invalid: "v2_beta"' },
  { name: 'subset labels are label syntax', bad: (m) => { m.spec.subsets[1].labels = { version: 'v2 beta' }; }, path: 'spec.subsets[1].labels.version', message: 'invalid label value' },
  { name: 'subset without labels (warning)', bad: (m) => { m.spec.subsets[1].labels = {}; }, path: 'spec.subsets[1].labels', message: 'selects every endpoint', severity: 'warning' },
  { name: 'traffic policy has a field', bad: (m) => { m.spec.subsets[0].trafficPolicy = {}; }, path: 'spec.subsets[0].trafficPolicy', message: 'traffic policy must have at least one field' },
  { name: 'simple vs consistentHash', ok: (m) => { tp(m).loadBalancer = { consistentHash: { httpCookie: { name: 'user', ttl: '0s' } } }; }, bad: (m) => { tp(m).loadBalancer = { simple: 'ROUND_ROBIN', consistentHash: { useSourceIp: true } }; }, path: 'spec.trafficPolicy.loadBalancer', message: 'one of simple or consistentHash, not both' },
  { name: 'consistentHash cookie name', bad: (m) => { tp(m).loadBalancer = { consistentHash: { httpCookie: { ttl: '10s' } } }; }, path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name', message: 'name required for httpCookie' },
  { name: 'maglev table size is prime', ok: (m) => { tp(m).loadBalancer = { consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } }; }, bad: (m) => { tp(m).loadBalancer = { consistentHash: { useSourceIp: true, maglev: { tableSize: 65536 } } }; }, path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', message: 'must be a prime number' },
  { name: 'locality weights sum to 100', ok: (m) => { tp(m).loadBalancer.localityLbSetting = { distribute: [{ from: 'eu/*', to: { 'eu/a/*': 80, 'eu/b/*': 20 } }] }; }, bad: (m) => { tp(m).loadBalancer.localityLbSetting = { distribute: [{ from: 'eu/*', to: { 'eu/a/*': 80, 'eu/b/*': 30 } }] }; }, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to', message: 'total locality weight 110 != 100' },
  { name: 'connection pool numbers non-negative', bad: (m) => { tp(m).connectionPool.tcp.maxConnections = -1; }, path: 'spec.trafficPolicy.connectionPool.tcp.maxConnections', message: 'maxConnections must be non-negative' },
  { name: 'http pool numbers non-negative', bad: (m) => { tp(m).connectionPool.http.http2MaxRequests = -5; }, path: 'spec.trafficPolicy.connectionPool.http.http2MaxRequests', message: 'http2MaxRequests must be non-negative' },
  { name: 'connect timeout at least 1ms', bad: (m) => { tp(m).connectionPool.tcp.connectTimeout = '0s'; }, path: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', message: 'must be at least 1ms' },
  { name: 'empty connection pool', bad: (m) => { tp(m).connectionPool = {}; }, path: 'spec.trafficPolicy.connectionPool', message: 'connection pool must have at least one field' },
  { name: 'h2 upgrade with client protocol', bad: (m) => { tp(m).connectionPool.http.h2UpgradePolicy = 'UPGRADE'; tp(m).connectionPool.http.useClientProtocol = true; }, path: 'spec.trafficPolicy.connectionPool.http.useClientProtocol', message: 'must not be true when h2UpgradePolicy is UPGRADE' },
  { name: 'outlier maxEjectionPercent 0-100', ok: (m) => { tp(m).outlierDetection.maxEjectionPercent = 100; }, bad: (m) => { tp(m).outlierDetection.maxEjectionPercent = 150; }, path: 'spec.trafficPolicy.outlierDetection.maxEjectionPercent', message: 'percentage 150 is not in range 0..100' },
  { name: 'outlier minHealthPercent 0-100', bad: (m) => { tp(m).outlierDetection.minHealthPercent = -1; }, path: 'spec.trafficPolicy.outlierDetection.minHealthPercent', message: 'percentage -1 is not in range 0..100' },
  { name: 'outlier interval at least 1ms', bad: (m) => { tp(m).outlierDetection.interval = '0s'; }, path: 'spec.trafficPolicy.outlierDetection.interval', message: 'must be at least 1ms' },
  { name: 'local origin failures need the split', ok: (m) => { tp(m).outlierDetection.splitExternalLocalOriginErrors = true; tp(m).outlierDetection.consecutiveLocalOriginFailures = 3; }, bad: (m) => { tp(m).outlierDetection.consecutiveLocalOriginFailures = 3; }, path: 'spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures', message: 'splitExternalLocalOriginErrors is false' },
  { name: 'TLS MUTUAL needs client certificates', ok: (m) => { tp(m).tls = { mode: 'MUTUAL', credentialName: 'client-cert' }; }, bad: (m) => { tp(m).tls = { mode: 'MUTUAL', caCertificates: '/etc/ca.pem' }; }, path: 'spec.trafficPolicy.tls.clientCertificate', message: 'client certificate required for MUTUAL TLS' },
  { name: 'TLS SIMPLE with credentialName takes no files', ok: (m) => { tp(m).tls = { mode: 'SIMPLE', credentialName: 'ca', sni: 'api.example.com' }; }, bad: (m) => { tp(m).tls = { mode: 'SIMPLE', credentialName: 'ca', caCertificates: '/etc/ca.pem' }; }, path: 'spec.trafficPolicy.tls', message: 'when credentialName is set' },
  { name: 'TLS insecureSkipVerify with a CA', bad: (m) => { tp(m).tls = { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/etc/ca.pem' }; }, path: 'spec.trafficPolicy.tls', message: 'when insecureSkipVerify is true' },
  { name: 'TLS mode known', bad: (m) => { tp(m).tls = { mode: 'STRICT' }; }, path: 'spec.trafficPolicy.tls.mode', message: 'unknown TLS mode "STRICT"' },
  { name: 'port-level settings name a port', ok: (m) => { tp(m).portLevelSettings = [{ port: { number: 8080 }, loadBalancer: { simple: 'RANDOM' } }]; }, bad: (m) => { tp(m).portLevelSettings = [{ port: { number: 0 }, loadBalancer: { simple: 'RANDOM' } }]; }, path: 'spec.trafficPolicy.portLevelSettings[0].port.number', message: 'must be in the range 1..65535' },
  { name: 'workload selector without wildcards', ok: (m) => { m.spec.workloadSelector = { matchLabels: { app: 'web' } }; }, bad: (m) => { m.spec.workloadSelector = { matchLabels: { app: 'web-*' } }; }, path: 'spec.workloadSelector.matchLabels.app', message: 'wildcard is not supported in selector' },
  { name: 'workload selector stays in the namespace', bad: (m) => { m.spec.workloadSelector = { matchLabels: { app: 'web' } }; m.spec.exportTo = ['*']; }, path: 'spec.exportTo', message: 'cannot be exported beyond its own namespace' },
]);
