import { RuleCase, ruleTable } from './table';

const service = () => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' },
  spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'grpc', port: 9090, targetPort: 9090, appProtocol: 'kubernetes.io/h2c' }],
    sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } },
});
const CASES: RuleCase[] = [
  ['port 70000', (m) => { m.spec.ports[0].port = 70000; }, 'spec.ports[0].port', 'must be between 1 and 65535, inclusive'],
  ['port 0', (m) => { m.spec.ports[0].port = 0; }, 'spec.ports[0].port', 'must be between 1 and 65535'],
  ['no ports', (m) => { m.spec.ports = []; }, 'spec.ports', 'Required value'],
  ['unnamed port among two', (m) => { delete m.spec.ports[1].name; }, 'spec.ports[1].name', 'Required value'],
  ['duplicate port names', (m) => { m.spec.ports[1].name = 'http'; }, 'spec.ports[1].name', 'Duplicate value: "http"'],
  ['port name not a DNS label', (m) => { m.spec.ports[0].name = 'HTTP'; }, 'spec.ports[0].name', 'must be a DNS label'],
  ['same port twice', (m) => { m.spec.ports[1].port = 80; }, 'spec.ports[1]', 'Duplicate value: port 80/TCP'],
  ['targetPort out of range', (m) => { m.spec.ports[1].targetPort = 70000; }, 'spec.ports[1].targetPort', 'between 1 and 65535'],
  ['targetPort name too long', (m) => { m.spec.ports[0].targetPort = 'http-application'; }, 'spec.ports[0].targetPort', 'no more than 15 characters'],
  ['nodePort on ClusterIP', (m) => { m.spec.ports[0].nodePort = 30080; }, 'spec.ports[0].nodePort', "may not be used when `type` is 'ClusterIP'"],
  ['headless NodePort', (m) => { m.spec.type = 'NodePort'; m.spec.clusterIP = 'None'; }, 'spec.clusterIP', "may not be set to 'None' for LoadBalancer or NodePort services"],
  ['type unknown', (m) => { m.spec.type = 'Internal'; }, 'spec.type', 'Unsupported value: "Internal"'],
  ['ExternalName without a name', (m) => { m.spec.type = 'ExternalName'; }, 'spec.externalName', 'Required value'],
  ['clusterIP not an IP', (m) => { m.spec.clusterIP = '10.0.0'; }, 'spec.clusterIP', 'valid IP address or "None"'],
  ['externalTrafficPolicy on ClusterIP', (m) => { m.spec.externalTrafficPolicy = 'Local'; }, 'spec.externalTrafficPolicy', "may only be set when `type` is 'NodePort' or 'LoadBalancer'"],
  ['affinity timeout too long', (m) => { m.spec.sessionAffinityConfig.clientIP.timeoutSeconds = 90000; }, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'less than 86400'],
  ['affinity config without ClientIP', (m) => { m.spec.sessionAffinity = 'None'; }, 'spec.sessionAffinityConfig', 'must not be set when session affinity is None'],
  ['source ranges on ClusterIP', (m) => { m.spec.loadBalancerSourceRanges = ['10.0.0.0/8']; }, 'spec.loadBalancerSourceRanges', "only be used when `type` is 'LoadBalancer'"],
  ['source range malformed', (m) => { m.spec.type = 'LoadBalancer'; m.spec.loadBalancerSourceRanges = ['10.0.0.0/33']; }, 'spec.loadBalancerSourceRanges[0]', 'must be a list of IP ranges'],
  ['loadBalancerIP (warning)', (m) => { m.spec.type = 'LoadBalancer'; m.spec.loadBalancerIP = '1.2.3.4'; }, 'spec.loadBalancerIP', 'deprecated', 'warning'],
  ['appProtocol invalid', (m) => { m.spec.ports[1].appProtocol = 'h2c protocol'; }, 'spec.ports[1].appProtocol', 'qualified name'],
  ['ipFamilies twice', (m) => { m.spec.ipFamilies = ['IPv4', 'IPv4']; }, 'spec.ipFamilies', 'at most one of each'],
  ['selector value invalid', (m) => { m.spec.selector.app = 'web app'; }, 'spec.selector.app', 'invalid label value'],
  ['name starting with a digit', (m) => { m.metadata.name = '1web'; }, 'metadata.name', 'DNS-1035 label'],
];
ruleTable('Service', service, CASES);
