import { buildDefaultApps } from '../../app';
import { defaultChecks, Finding, ManifestObject, renderApp } from '../../lib';

/*
 * Each case takes the real prod output (plus a valid nginx Ingress), introduces one
 * fault, and expects the checks to report it on the right object and field. The clean output must
 * produce no finding at all, so every expected finding is caused by its fault.
 */

const NS = 'ecommerce';

function baseline(): ManifestObject[] {
  const objects = renderApp(buildDefaultApps().prod).flatMap((f) => f.objects.map((o) => ({ file: `prod/${f.fileName}`, manifest: o.manifest })));
  // prod is reached through the Istio Gateway; an nginx Ingress is added by hand for the Ingress faults.
  const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'product-service', namespace: NS },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'product-api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'product-service', port: { name: 'http' } } } }] } }] } };
  return [...objects, { file: 'prod/ingress.yaml', manifest: ingress }];
}

function run(objects: ManifestObject[]): Finding[] {
  return defaultChecks().flatMap((c) => c.check(objects));
}

type Fault = (objects: ManifestObject[]) => void;
const find = (objects: ManifestObject[], kind: string, name: string): any => {
  const o = objects.find((x) => x.manifest.kind === kind && x.manifest.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o.manifest;
};
const pod = (objects: ManifestObject[], name = 'user-service') => find(objects, 'Deployment', name).spec.template.spec;
const ctr = (objects: ManifestObject[], name = 'user-service') => pod(objects, name).containers[0];
const add = (objects: ManifestObject[], manifest: any) => objects.push({ file: 'prod/extra.yaml', manifest });
const CPATH = 'spec.template.spec.containers[0]';
/** user-service's ConfigMap: its name carries a hash of its content. */
const USER_CONFIG_MAP: string = ctr(baseline()).envFrom[0].configMapRef.name;

const FAULTS: Array<[string, Fault, string, string, string]> = [
  // [name, fault, expected object, expected path, expected check]
  ['unknown field in a container', (o) => { ctr(o).imagePullPolicyy = 'Always'; }, `Deployment/${NS}/user-service`, `${CPATH}.imagePullPolicyy`, 'schema'],
  ['containerPort as a string', (o) => { ctr(o).ports[0].containerPort = '8080'; }, `Deployment/${NS}/user-service`, `${CPATH}.ports[0].containerPort`, 'schema'],
  ['Service port without a number', (o) => { delete find(o, 'Service', 'user-service').spec.ports[0].port; }, `Service/${NS}/user-service`, 'spec.ports[0]', 'schema'],
  ['unknown field in an ExternalSecret (CRD schema)', (o) => { find(o, 'ExternalSecret', 'user-service-secrets').spec.refreshIntervall = '1h'; }, `ExternalSecret/${NS}/user-service-secrets`, 'spec.refreshIntervall', 'schema'],
  ['VirtualService timeout 0s (CEL rule)', (o) => { find(o, 'VirtualService', 'user-service').spec.http[0].timeout = '0s'; }, `VirtualService/${NS}/user-service`, 'spec.http[0].timeout', 'cel'],
  ['port-level mTLS without a selector (CEL rule)', (o) => add(o, { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'pa', namespace: NS }, spec: { mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } } }), `PeerAuthentication/${NS}/pa`, 'spec', 'cel'],
  ['apiVersion typo', (o) => { find(o, 'Service', 'user-service').apiVersion = 'v1beta1'; }, `Service/${NS}/user-service`, 'apiVersion', 'schema'],
  ['upper-case object name', (o) => { find(o, 'ConfigMap', find(o, 'Deployment', 'order-service').spec.template.spec.containers[0].envFrom[0].configMapRef.name).metadata.name = 'Order-Config'; }, `ConfigMap/${NS}/Order-Config`, 'metadata.name', 'metadata'],
  ['label value too long', (o) => { find(o, 'Service', 'user-service').metadata.labels.team = 'x'.repeat(64); }, `Service/${NS}/user-service`, 'metadata.labels.team', 'metadata'],
  ['privileged container', (o) => { ctr(o).securityContext.privileged = true; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.privileged`, 'policy/pod-security-restricted'],
  ['privilege escalation allowed', (o) => { ctr(o).securityContext.allowPrivilegeEscalation = true; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.allowPrivilegeEscalation`, 'policy/pod-security-restricted'],
  ['pod runs as root', (o) => { pod(o).securityContext.runAsUser = 0; }, `Deployment/${NS}/user-service`, 'spec.template.spec.securityContext.runAsUser', 'policy/pod-security-restricted'],
  ['runAsNonRoot dropped everywhere', (o) => { delete pod(o).securityContext.runAsNonRoot; delete ctr(o).securityContext.runAsNonRoot; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.runAsNonRoot`, 'policy/pod-security-restricted'],
  ['host network', (o) => { pod(o).hostNetwork = true; }, `Deployment/${NS}/user-service`, 'spec.template.spec.hostNetwork', 'policy/pod-security-restricted'],
  ['capabilities not dropped', (o) => { delete ctr(o).securityContext.capabilities; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.capabilities.drop`, 'policy/pod-security-restricted'],
  ['SYS_ADMIN added', (o) => { ctr(o).securityContext.capabilities.add = ['SYS_ADMIN']; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.capabilities.add`, 'policy/pod-security-restricted'],
  ['no seccomp profile', (o) => { delete pod(o).securityContext.seccompProfile; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.seccompProfile.type`, 'policy/pod-security-restricted'],
  ['hostPath volume', (o) => { pod(o).volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }, `Deployment/${NS}/user-service`, 'spec.template.spec.volumes[2].hostPath', 'policy/pod-security-restricted'],
  ['no memory limit', (o) => { delete ctr(o).resources.limits.memory; }, `Deployment/${NS}/user-service`, `${CPATH}.resources.limits.memory`, 'policy/resources-and-probes'],
  ['no CPU request', (o) => { delete ctr(o).resources.requests.cpu; }, `Deployment/${NS}/user-service`, `${CPATH}.resources.requests.cpu`, 'policy/resources-and-probes'],
  ['no readiness probe', (o) => { delete ctr(o).readinessProbe; }, `Deployment/${NS}/user-service`, `${CPATH}.readinessProbe`, 'policy/resources-and-probes'],
  ['no liveness probe', (o) => { delete ctr(o).livenessProbe; }, `Deployment/${NS}/user-service`, `${CPATH}.livenessProbe`, 'policy/resources-and-probes'],
  ['image tag latest', (o) => { ctr(o).image = 'harbor.example.com/ecommerce/user-service:latest'; }, `Deployment/${NS}/user-service`, `${CPATH}.image`, 'policy/pinned-images'],
  ['image without tag', (o) => { ctr(o).image = 'harbor.example.com/ecommerce/user-service'; }, `Deployment/${NS}/user-service`, `${CPATH}.image`, 'policy/pinned-images'],
  ['plaintext Secret', (o) => add(o, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NS }, stringData: { password: 'hunter2' } }), `Secret/${NS}/db`, 'stringData', 'policy/no-plaintext-secret'],
  ['password in KEDA trigger metadata', (o) => {
    find(o, 'ScaledObject', 'order-service').spec.triggers[0].metadata.password = 'hunter2';
  }, `ScaledObject/${NS}/order-service`, 'spec.triggers[0].metadata.password', 'policy/keda-credentials'],
  ['HPA and ScaledObject on one Deployment', (o) => add(o, { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'payment-service-keda', namespace: NS }, spec: { scaleTargetRef: { name: 'payment-service' }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }] } }), `Deployment/${NS}/payment-service`, 'metadata.name', 'cross-reference'],
  ['replicas under an autoscaler', (o) => { find(o, 'Deployment', 'user-service').spec.replicas = 3; }, `Deployment/${NS}/user-service`, 'spec.replicas', 'cross-reference'],
  ['HPA AverageValue target without a value', (o) => { delete find(o, 'HorizontalPodAutoscaler', 'user-service').spec.metrics[0].pods.target.averageValue; }, `HorizontalPodAutoscaler/${NS}/user-service`, 'spec.metrics[0].pods.target.averageValue', 'policy/autoscaler-spec'],
  ['ScaledObject metadata not a string', (o) => { find(o, 'ScaledObject', 'order-service').spec.triggers[0].metadata.listLength = 10; }, `ScaledObject/${NS}/order-service`, 'spec.triggers[0].metadata.listLength', 'schema'],
  ['HPA targets a missing Deployment', (o) => { find(o, 'HorizontalPodAutoscaler', 'user-service').spec.scaleTargetRef.name = 'user-svc'; }, `HorizontalPodAutoscaler/${NS}/user-service`, 'spec.scaleTargetRef.name', 'cross-reference'],
  ['Service selects no pods', (o) => { find(o, 'Service', 'user-service').spec.selector = { app: 'users' }; }, `Service/${NS}/user-service`, 'spec.selector', 'cross-reference'],
  ['Ingress backend Service missing', (o) => { find(o, 'Ingress', 'product-service').spec.rules[0].http.paths[0].backend.service.name = 'products'; }, `Ingress/${NS}/product-service`, 'spec.rules[0].http.paths[0].backend.service.name', 'cross-reference'],
  ['Ingress backend port missing', (o) => { find(o, 'Ingress', 'product-service').spec.rules[0].http.paths[0].backend.service.port = { name: 'grpc' }; }, `Ingress/${NS}/product-service`, 'spec.rules[0].http.paths[0].backend.service.port', 'cross-reference'],
  ['ConfigMap reference dangling', (o) => { ctr(o).envFrom[0].configMapRef.name = 'user-service-config-0000000000'; }, `Deployment/${NS}/user-service`, 'spec.template.spec.containers[0].envFrom[0].configMapRef.name', 'cross-reference'],
  ['ServiceAccount missing', (o) => { pod(o).serviceAccountName = 'users'; }, `Deployment/${NS}/user-service`, 'spec.template.spec.serviceAccountName', 'cross-reference'],
  ['namespace not created', (o) => { o.splice(o.findIndex((x) => x.manifest.kind === 'Namespace'), 1); }, `Service/${NS}/user-service`, 'metadata.namespace', 'cross-reference'],
  ['route names a missing subset (IST0101)', (o) => { find(o, 'VirtualService', 'user-service').spec.http[0].route[0].destination.subset = 'v3'; }, `VirtualService/${NS}/user-service`, 'spec.http[0].route[0].destination.subset', 'cross-reference'],
  ['subset selects no pods (IST0173)', (o) => { find(o, 'DestinationRule', 'user-service').spec.subsets[0].labels = { version: 'v9' }; }, `DestinationRule/${NS}/user-service`, 'spec.subsets[0].labels', 'cross-reference'],
  ['two objects with one name', (o) => add(o, structuredClone(find(o, 'Service', 'user-service'))), `Service/${NS}/user-service`, 'metadata.name', 'cross-reference'],
  ['negative route weight (Istio webhook)', (o) => { const r = find(o, 'VirtualService', 'user-service').spec.http[1].route; r[0].weight = -10; r[1].weight = 110; }, `VirtualService/${NS}/user-service`, 'spec.http[1].route[0].weight', 'istio'],
  ['abort httpStatus 600 (Istio webhook)', (o) => { find(o, 'VirtualService', 'user-service').spec.http[1].fault = { abort: { httpStatus: 600, percentage: { value: 1 } } }; }, `VirtualService/${NS}/user-service`, 'spec.http[1].fault.abort.httpStatus', 'istio'],
  ['empty header name in a match (Istio webhook)', (o) => { find(o, 'VirtualService', 'user-service').spec.http[0].match[0].headers = { '': { exact: 'tester' } }; }, `VirtualService/${NS}/user-service`, 'spec.http[0].match[0].headers[""]', 'istio'],
  ['look-behind regex in a header match (Istio webhook)', (o) => { find(o, 'VirtualService', 'user-service').spec.http[0].match[0].headers['x-user-type'] = { regex: '(?<=beta-)tester' }; }, `VirtualService/${NS}/user-service`, 'spec.http[0].match[0].headers.x-user-type.regex', 'istio'],
  ['backreference regex in a URI match (Istio webhook)', (o) => { find(o, 'VirtualService', 'user-service').spec.http[0].match[0].uri = { regex: '/(v[12])/\\1' }; }, `VirtualService/${NS}/user-service`, 'spec.http[0].match[0].uri.regex', 'istio'],
  ['Gateway HTTPS server without TLS (Istio webhook)', (o) => { delete find(o, 'Gateway', 'ecommerce-gateway').spec.servers[0].tls; }, `Gateway/${NS}/ecommerce-gateway`, 'spec.servers[0].tls', 'istio'],
  ['AuthorizationPolicy condition on an unknown attribute (Istio webhook)', (o) => { find(o, 'AuthorizationPolicy', 'user-service').spec.rules[1].when[0].key = 'request.auth.role'; }, `AuthorizationPolicy/${NS}/user-service`, 'spec.rules[1].when[0].key', 'istio'],
  ['principal names an unknown ServiceAccount', (o) => { find(o, 'AuthorizationPolicy', 'user-service').spec.rules[0].from[0].source.principals[0] = `cluster.local/ns/${NS}/sa/ordr-service`; }, `AuthorizationPolicy/${NS}/user-service`, 'spec.rules[0].from[0].source.principals[0]', 'cross-reference'],
  // The API server's semantic validation: refused by kube-apiserver although every schema admits them.
  ['Deployment selector does not match its template labels', (o) => { find(o, 'Deployment', 'user-service').spec.selector.matchLabels.version = 'v9'; }, `Deployment/${NS}/user-service`, 'spec.template.metadata.labels', 'semantic'],
  ['probe with two handlers', (o) => { ctr(o).livenessProbe.tcpSocket = { port: 'http' }; }, `Deployment/${NS}/user-service`, `${CPATH}.livenessProbe.tcpSocket`, 'semantic'],
  ['probe without a handler', (o) => { delete ctr(o).readinessProbe.httpGet; }, `Deployment/${NS}/user-service`, `${CPATH}.readinessProbe`, 'semantic'],
  ['CPU request above its limit', (o) => { ctr(o).resources.requests.cpu = '4'; }, `Deployment/${NS}/user-service`, `${CPATH}.resources.requests`, 'semantic'],
  ['duplicate container port names', (o) => { ctr(o).ports.push({ name: 'http', containerPort: 9090, protocol: 'TCP' }); }, `Deployment/${NS}/user-service`, `${CPATH}.ports[1].name`, 'semantic'],
  ['Service port 70000', (o) => { find(o, 'Service', 'user-service').spec.ports[0].port = 70000; }, `Service/${NS}/user-service`, 'spec.ports[0].port', 'semantic'],
  ['PDB with both minAvailable and maxUnavailable', (o) => { find(o, 'PodDisruptionBudget', 'user-service').spec.minAvailable = 1; }, `PodDisruptionBudget/${NS}/user-service`, 'spec', 'semantic'],
  ['HPA minReplicas above maxReplicas', (o) => { find(o, 'HorizontalPodAutoscaler', 'user-service').spec.minReplicas = 30; }, `HorizontalPodAutoscaler/${NS}/user-service`, 'spec.maxReplicas', 'semantic'],
  ['maxSurge and maxUnavailable both 0', (o) => { find(o, 'Deployment', 'user-service').spec.strategy.rollingUpdate.maxSurge = 0; }, `Deployment/${NS}/user-service`, 'spec.strategy.rollingUpdate.maxUnavailable', 'semantic'],
  ['volume mount names no volume', (o) => { ctr(o).volumeMounts[0].name = 'scratch'; }, `Deployment/${NS}/user-service`, `${CPATH}.volumeMounts[0].name`, 'semantic'],
  ['toleration Exists with a value', (o) => { pod(o).tolerations = [{ key: 'dedicated', operator: 'Exists', value: 'web' }]; }, `Deployment/${NS}/user-service`, 'spec.template.spec.tolerations[0].operator', 'semantic'],
  ['pod-template annotation key invalid', (o) => { find(o, 'Deployment', 'user-service').spec.template.metadata.annotations['bad key'] = 'x'; }, `Deployment/${NS}/user-service`, 'spec.template.metadata.annotations', 'semantic'],
  ['NetworkPolicy except outside its cidr', (o) => { find(o, 'NetworkPolicy', 'payment-service').spec.egress.unshift({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }); }, `NetworkPolicy/${NS}/payment-service`, 'spec.egress[0].to[0].ipBlock.except[0]', 'semantic'],
  ['NetworkPolicy malformed CIDR', (o) => { find(o, 'NetworkPolicy', 'payment-service').spec.egress.unshift({ to: [{ ipBlock: { cidr: '10.0.0.0/40' } }] }); }, `NetworkPolicy/${NS}/payment-service`, 'spec.egress[0].to[0].ipBlock.cidr', 'semantic'],
  ['ConfigMap over 1 MiB', (o) => { find(o, 'ConfigMap', ctr(o).envFrom[0].configMapRef.name).data.BLOB = 'x'.repeat(1024 * 1024); }, `ConfigMap/${NS}/${USER_CONFIG_MAP}`, 'data', 'semantic'],
  ['Ingress path without pathType', (o) => { delete find(o, 'Ingress', 'product-service').spec.rules[0].http.paths[0].pathType; }, `Ingress/${NS}/product-service`, 'spec.rules[0].http.paths[0].pathType', 'semantic'],
  // Common linter rules (kube-linter / Polaris): admitted by the server, broken at run time.
  ['Service targetPort names no container port', (o) => { find(o, 'Service', 'user-service').spec.ports[0].targetPort = 'web'; }, `Service/${NS}/user-service`, 'spec.ports[0].targetPort', 'lint/service-target-port'],
  ['probe on an undeclared port name', (o) => { ctr(o).livenessProbe.httpGet.port = 'admin'; }, `Deployment/${NS}/user-service`, `${CPATH}.livenessProbe.httpGet.port`, 'lint/probe-port'],
  ['PDB allowing no disruption', (o) => { find(o, 'PodDisruptionBudget', 'user-service').spec.maxUnavailable = 0; }, `PodDisruptionBudget/${NS}/user-service`, 'spec.maxUnavailable', 'lint/pdb-disruptions'],
  ['PDB minAvailable at the HPA minimum', (o) => { const pdb = find(o, 'PodDisruptionBudget', 'product-service'); delete pdb.spec.maxUnavailable; pdb.spec.minAvailable = find(o, 'HorizontalPodAutoscaler', 'product-service').spec.minReplicas; }, `PodDisruptionBudget/${NS}/product-service`, 'spec.minAvailable', 'lint/pdb-disruptions'],
  ['unsafe sysctl', (o) => { pod(o).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; }, `Deployment/${NS}/user-service`, 'spec.template.spec.securityContext.sysctls[0].name', 'lint/unsafe-sysctls'],
  ['procMount Unmasked', (o) => { pod(o).hostUsers = false; ctr(o).securityContext.procMount = 'Unmasked'; }, `Deployment/${NS}/user-service`, `${CPATH}.securityContext.procMount`, 'lint/unsafe-proc-mount'],
];

describe('fault injection', () => {
  test('the clean output has no finding', () => {
    expect(run(baseline())).toEqual([]);
  });

  test(`there are at least 30 distinct faults (${FAULTS.length})`, () => {
    expect(new Set(FAULTS.map((f) => f[0])).size).toBeGreaterThanOrEqual(30);
  });

  test.each(FAULTS)('%s', (_name, fault, object, path, check) => {
    const objects = structuredClone(baseline());
    fault(objects);
    const findings = run(objects);
    expect(findings).toContainEqual(expect.objectContaining({ object, path, check, severity: 'error' }));
  });
});
