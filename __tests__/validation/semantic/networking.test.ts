import { ruleTable } from './table';

const policy = () => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } }, namespaceSelector: { matchLabels: { team: 'a' } } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: 'fd00::/8', except: ['fd00:1::/32'] } }], ports: [{ port: 5000, endPort: 5010 }] }],
  },
});
ruleTable('NetworkPolicy', policy, [
  ['malformed CIDR', (m) => { m.spec.egress[0].to[0].ipBlock.cidr = '10.0.0.0/33'; }, 'spec.egress[0].to[0].ipBlock.cidr', 'must be a valid CIDR'],
  ['CIDR without prefix', (m) => { m.spec.egress[0].to[0].ipBlock.cidr = '10.0.0.1'; }, 'spec.egress[0].to[0].ipBlock.cidr', 'must be a valid CIDR'],
  ['except outside cidr', (m) => { m.spec.egress[0].to[0].ipBlock.except = ['192.168.0.0/16']; }, 'spec.egress[0].to[0].ipBlock.except[0]', 'must be a strict subset of `cidr`'],
  ['except equal to cidr', (m) => { m.spec.egress[0].to[0].ipBlock.except = ['10.0.0.0/8']; }, 'spec.egress[0].to[0].ipBlock.except[0]', 'strict subset'],
  ['except of another family', (m) => { m.spec.egress[0].to[1].ipBlock.except = ['10.1.0.0/16']; }, 'spec.egress[0].to[1].ipBlock.except[0]', 'strict subset'],
  ['except malformed', (m) => { m.spec.egress[0].to[0].ipBlock.except = ['10.1.0.0/x']; }, 'spec.egress[0].to[0].ipBlock.except[0]', 'must be a valid CIDR'],
  ['ipBlock with a selector', (m) => { m.spec.egress[0].to[0].podSelector = {}; }, 'spec.egress[0].to[0]', 'may not specify both ipBlock and another peer'],
  ['empty peer', (m) => { m.spec.ingress[0].from[0] = {}; }, 'spec.ingress[0].from[0]', 'must specify a peer'],
  ['port out of range', (m) => { m.spec.egress[0].ports[0].port = 0; }, 'spec.egress[0].ports[0].port', 'between 1 and 65535'],
  ['endPort below port', (m) => { m.spec.egress[0].ports[0].endPort = 4000; }, 'spec.egress[0].ports[0].endPort', 'greater than or equal to `port`'],
  ['endPort with a named port', (m) => { m.spec.ingress[0].ports[0].endPort = 9000; }, 'spec.ingress[0].ports[0].endPort', 'when `port` is not a number'],
  ['protocol unknown', (m) => { m.spec.ingress[0].ports[0].protocol = 'ICMP'; }, 'spec.ingress[0].ports[0].protocol', 'Unsupported value: "ICMP"'],
  ['policyType unknown', (m) => { m.spec.policyTypes = ['Inbound']; }, 'spec.policyTypes[0]', 'Unsupported value: "Inbound"'],
]);

const ingress = () => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' },
  spec: {
    ingressClassName: 'nginx', tls: [{ hosts: ['*.example.com'], secretName: 'tls' }],
    rules: [{ host: 'shop.example.com', http: { paths: [
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
      { path: '/api', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } },
    ] } }],
  },
});
ruleTable('Ingress', ingress, [
  ['path without pathType', (m) => { delete m.spec.rules[0].http.paths[0].pathType; }, 'spec.rules[0].http.paths[0].pathType', 'pathType must be specified'],
  ['pathType unknown', (m) => { m.spec.rules[0].http.paths[0].pathType = 'Regex'; }, 'spec.rules[0].http.paths[0].pathType', 'Unsupported value: "Regex"'],
  ['relative Prefix path', (m) => { m.spec.rules[0].http.paths[0].path = 'api'; }, 'spec.rules[0].http.paths[0].path', 'must be an absolute path'],
  ['path with //', (m) => { m.spec.rules[0].http.paths[1].path = '/api//v1'; }, 'spec.rules[0].http.paths[1].path', "must not contain '//'"],
  ['host is an IP', (m) => { m.spec.rules[0].host = '10.0.0.1'; }, 'spec.rules[0].host', 'must be a DNS name, not an IP address'],
  ['host with upper case', (m) => { m.spec.rules[0].host = 'Shop.example.com'; }, 'spec.rules[0].host', 'DNS-1123 subdomain'],
  ['wildcard in the middle', (m) => { m.spec.tls[0].hosts = ['shop.*.com']; }, 'spec.tls[0].hosts[0]', 'DNS-1123 subdomain'],
  ['port name and number', (m) => { m.spec.rules[0].http.paths[0].backend.service.port.number = 80; }, 'spec.rules[0].http.paths[0].backend.service.port', 'cannot set both port name & port number'],
  ['no port', (m) => { m.spec.rules[0].http.paths[0].backend.service.port = {}; }, 'spec.rules[0].http.paths[0].backend.service.port', 'port name or number is required'],
  ['service and resource backends', (m) => { m.spec.rules[0].http.paths[0].backend.resource = { kind: 'Bucket', name: 'b' }; }, 'spec.rules[0].http.paths[0].backend', 'cannot set both resource and service backends'],
  ['backend port out of range', (m) => { m.spec.rules[0].http.paths[1].backend.service.port.number = 70000; }, 'spec.rules[0].http.paths[1].backend.service.port.number', 'between 1 and 65535'],
  ['no rules and no default backend', (m) => { m.spec.rules = []; }, 'spec.rules', 'either `defaultBackend` or `rules`'],
  ['class annotation and class name', (m) => { m.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx' }; }, 'metadata.annotations.kubernetes.io/ingress.class', 'can not be set when the class field is also set'],
  ['class annotation alone (warning)', (m) => { m.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx' }; delete m.spec.ingressClassName; }, 'metadata.annotations.kubernetes.io/ingress.class', 'deprecated', 'warning'],
]);
