import { describeRules } from './rule-table';

const gateway = () => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'edge', namespace: 'shop' },
  spec: {
    selector: { istio: 'ingressgateway' },
    servers: [
      { hosts: ['api.example.com', 'shop/www.example.com'], port: { name: 'https', number: 443, protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'api-tls' } },
      { hosts: ['api.example.com'], port: { name: 'http', number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } },
    ],
  } as any,
});
const s0 = (m: any) => m.spec.servers[0];
const s1 = (m: any) => m.spec.servers[1];

describeRules('Gateway', gateway, [
  { name: 'gateway name is a DNS label', bad: (m) => { m.metadata.name = 'edge.gw'; }, path: 'metadata.name', message: 'invalid gateway name "edge.gw"' },
  { name: 'servers required', bad: (m) => { m.spec.servers = []; }, path: 'spec.servers', message: 'gateway must have at least one server' },
  { name: 'server hosts required', bad: (m) => { s0(m).hosts = []; }, path: 'spec.servers[0].hosts', message: 'must contain at least one host' },
  { name: 'host namespace prefix', ok: (m) => { s0(m).hosts = ['./api.example.com', '*/www.example.com', '*.example.com', '*']; }, bad: (m) => { s0(m).hosts = ['Shop_NS/api.example.com']; }, path: 'spec.servers[0].hosts[0]', message: 'invalid namespace "Shop_NS"' },
  { name: 'host empty dnsName', bad: (m) => { s0(m).hosts = ['shop/']; }, path: 'spec.servers[0].hosts[0]', message: 'namespace and dnsName cannot be empty' },
  { name: 'host short names', bad: (m) => { s0(m).hosts = ['api']; }, path: 'spec.servers[0].hosts[0]', message: 'short names (non FQDN) are not allowed' },
  { name: 'host partial wildcard', bad: (m) => { s0(m).hosts = ['api*.example.com']; }, path: 'spec.servers[0].hosts[0]', message: 'invalid (label "api*" invalid)' },
  { name: 'port names unique', bad: (m) => { s1(m).port.name = 'https'; }, path: 'spec.servers[1].port.name', message: 'duplicate name "https"' },
  { name: 'port number range', bad: (m) => { s1(m).port.number = 0; }, path: 'spec.servers[1].port.number', message: 'must be in the range 1..65535' },
  { name: 'port protocol known', ok: (m) => { s1(m).port.protocol = 'http2'; }, bad: (m) => { s1(m).port.protocol = 'QUIC'; }, path: 'spec.servers[1].port.protocol', message: 'invalid protocol "QUIC"' },
  { name: 'port name required', bad: (m) => { delete s1(m).port.name; }, path: 'spec.servers[1].port.name', message: 'port name must be set' },
  { name: 'targetPort refused', bad: (m) => { s1(m).port.targetPort = 8080; }, path: 'spec.servers[1].port.targetPort', message: 'targetPort has no impact on Gateways' },
  { name: 'HTTPS needs TLS settings', bad: (m) => { delete s0(m).tls; }, path: 'spec.servers[0].tls', message: 'server must have TLS settings for HTTPS' },
  { name: 'SIMPLE needs credentialName or certificate and key', ok: (m) => { s0(m).tls = { mode: 'SIMPLE', serverCertificate: '/etc/tls.crt', privateKey: '/etc/tls.key' }; }, bad: (m) => { s0(m).tls = { mode: 'SIMPLE', serverCertificate: '/etc/tls.crt' }; }, path: 'spec.servers[0].tls.privateKey', message: 'SIMPLE TLS requires a private key' },
  { name: 'MUTUAL needs a client CA bundle', ok: (m) => { s0(m).tls = { mode: 'MUTUAL', credentialName: 'api-mtls' }; }, bad: (m) => { s0(m).tls = { mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k' }; }, path: 'spec.servers[0].tls.caCertificates', message: 'MUTUAL TLS requires a client CA bundle' },
  { name: 'ISTIO_MUTUAL takes no credentials', ok: (m) => { s0(m).tls = { mode: 'ISTIO_MUTUAL' }; }, bad: (m) => { s0(m).tls = { mode: 'ISTIO_MUTUAL', credentialName: 'x' }; }, path: 'spec.servers[0].tls.credentialName', message: 'ISTIO_MUTUAL TLS cannot have an associated credentialName' },
  { name: 'CRL with credentialName', bad: (m) => { s0(m).tls.caCrl = '/etc/crl.pem'; }, path: 'spec.servers[0].tls.caCrl', message: 'CRL is not supported with credentialName' },
  { name: 'TLS settings on a plain HTTP port', bad: (m) => { s1(m).tls = { mode: 'SIMPLE', credentialName: 'x' }; }, path: 'spec.servers[1].tls', message: 'server cannot have TLS settings for plain text HTTP ports' },
  { name: 'TLS settings on a TCP port', bad: (m) => { s1(m).port.protocol = 'TCP'; }, path: 'spec.servers[1].tls', message: 'non HTTPS/TLS ports' },
  { name: 'httpsRedirect only on HTTP (warning)', bad: (m) => { s0(m).tls.httpsRedirect = true; }, path: 'spec.servers[0].tls.httpsRedirect', message: 'only be used with HTTP servers', severity: 'warning' },
  { name: 'bind is an IP', ok: (m) => { s1(m).bind = '0.0.0.0'; }, bad: (m) => { s1(m).bind = 'localhost'; }, path: 'spec.servers[1].bind', message: '"localhost" is not a valid IP' },
]);

const serviceEntry = () => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'payments', namespace: 'shop' },
  spec: {
    hosts: ['api.payments.example.com'],
    location: 'MESH_EXTERNAL',
    ports: [{ name: 'https-443', number: 443, protocol: 'HTTPS' }],
    resolution: 'DNS',
  } as any,
});

describeRules('ServiceEntry', serviceEntry, [
  { name: 'hosts required', bad: (m) => { m.spec.hosts = []; }, path: 'spec.hosts', message: 'service entry must have at least one host' },
  { name: 'host "*" refused', bad: (m) => { m.spec.hosts = ['*']; }, path: 'spec.hosts[0]', message: 'invalid host "*"' },
  { name: 'host is a domain', bad: (m) => { m.spec.hosts = ['api..example.com']; }, path: 'spec.hosts[0]', message: 'invalid (label "" invalid)' },
  { name: 'DNS resolution needs FQDN hosts without endpoints', ok: (m) => { m.spec.hosts = ['*.example.com']; m.spec.resolution = 'NONE'; }, bad: (m) => { m.spec.hosts = ['*.example.com']; }, path: 'spec.hosts[0]', message: 'hosts must be FQDN if no endpoints are provided for resolution mode DNS' },
  { name: 'port numbers unique', bad: (m) => { m.spec.ports.push({ name: 'https-alt', number: 443, protocol: 'HTTPS' }); }, path: 'spec.ports[1].number', message: 'service entry port 443 already defined' },
  { name: 'port names unique', bad: (m) => { m.spec.ports.push({ name: 'https-443', number: 8443, protocol: 'HTTPS' }); }, path: 'spec.ports[1].name', message: 'service entry port name "https-443" already defined' },
  { name: 'port name a DNS label', bad: (m) => { m.spec.ports[0].name = 'HTTPS_443'; }, path: 'spec.ports[0].name', message: 'invalid port name' },
  { name: 'port protocol known', bad: (m) => { m.spec.ports[0].protocol = 'HTTP3'; }, path: 'spec.ports[0].protocol', message: 'unsupported protocol "HTTP3"' },
  { name: 'NONE resolution takes no endpoints', bad: (m) => { m.spec.resolution = 'NONE'; m.spec.endpoints = [{ address: '10.0.0.1' }]; }, path: 'spec.endpoints', message: 'no endpoints should be provided for resolution type NONE' },
  { name: 'STATIC endpoints are IPs', ok: (m) => { m.spec.resolution = 'STATIC'; m.spec.endpoints = [{ address: '10.0.0.1', ports: { 'https-443': 8443 } }]; }, bad: (m) => { m.spec.resolution = 'STATIC'; m.spec.endpoints = [{ address: 'db.example.com' }]; }, path: 'spec.endpoints[0].address', message: 'is not a valid IP address' },
  { name: 'endpoint ports name service ports', bad: (m) => { m.spec.endpoints = [{ address: 'a.example.com', ports: { http: 80 } }]; }, path: 'spec.endpoints[0].ports.http', message: 'endpoint port "http" is not defined by the service entry' },
  { name: 'DNS_ROUND_ROBIN takes at most one endpoint', bad: (m) => { m.spec.resolution = 'DNS_ROUND_ROBIN'; m.spec.endpoints = [{ address: 'a.example.com' }, { address: 'b.example.com' }]; }, path: 'spec.endpoints', message: 'there must only be 0 or 1 endpoint' },
  { name: 'CIDR addresses only for NONE/STATIC', ok: (m) => { m.spec.resolution = 'NONE'; m.spec.addresses = ['10.0.0.0/16']; }, bad: (m) => { m.spec.addresses = ['10.0.0.0/16']; }, path: 'spec.resolution', message: 'CIDR addresses are allowed only for NONE/STATIC' },
  { name: 'addresses are IPs', bad: (m) => { m.spec.addresses = ['10.0.0.300']; }, path: 'spec.addresses[0]', message: 'is not a valid IP address or CIDR block' },
  { name: 'several hosts need HTTP or TLS ports', ok: (m) => { m.spec.hosts.push('api2.payments.example.com'); }, bad: (m) => { m.spec.hosts.push('api2.payments.example.com'); m.spec.ports[0].protocol = 'TCP'; }, path: 'spec.ports[0].protocol', message: 'multiple hosts provided with non-HTTP, non-TLS ports' },
  { name: 'location known', bad: (m) => { m.spec.location = 'EXTERNAL'; }, path: 'spec.location', message: 'unknown location "EXTERNAL"' },
  { name: 'workloadSelector or endpoints', bad: (m) => { m.spec.resolution = 'STATIC'; m.spec.workloadSelector = { labels: { app: 'x' } }; m.spec.endpoints = []; }, path: 'spec.workloadSelector', message: 'only one of workloadSelector or endpoints' },
]);
