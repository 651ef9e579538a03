import { ManifestObject, PdbDisruptionCheck, ProbePortCheck, ServiceTargetPortCheck, UnsafeProcMountCheck, UnsafeSysctlsCheck } from '../../../lib';
import { deployment, ruleTable } from './table';

const c = (m: any) => m.spec.template.spec.containers[0];

ruleTable('lint/unsafe-sysctls', deployment, [
  ['kernel.msgmax', (m) => { m.spec.template.spec.securityContext.sysctls.push({ name: 'kernel.msgmax', value: '65536' }); }, 'spec.template.spec.securityContext.sysctls[1].name', 'unsafe sysctl "kernel.msgmax"'],
  ['slash-separated unsafe name', (m) => { m.spec.template.spec.securityContext.sysctls = [{ name: 'net/core/somaxconn', value: '1024' }]; }, 'spec.template.spec.securityContext.sysctls[0].name', 'unsafe sysctl'],
], () => new UnsafeSysctlsCheck());

ruleTable('lint/unsafe-proc-mount', deployment, [
  ['Unmasked', (m) => { m.spec.template.spec.hostUsers = false; c(m).securityContext.procMount = 'Unmasked'; }, 'spec.template.spec.containers[0].securityContext.procMount', 'only "Default" is allowed'],
  ['Unmasked on an init container', (m) => { m.spec.template.spec.initContainers[0].securityContext = { procMount: 'Unmasked' }; }, 'spec.template.spec.initContainers[0].securityContext.procMount', 'unmasks /proc'],
], () => new UnsafeProcMountCheck());

ruleTable('lint/probe-port', deployment, [
  ['liveness probe on an undeclared port name', (m) => { c(m).livenessProbe.httpGet.port = 'admin'; }, 'spec.template.spec.containers[0].livenessProbe.httpGet.port', 'port "admin" is not declared by the container (ports: http, metrics)'],
  ['tcp readiness on an undeclared name', (m) => { c(m).readinessProbe = { tcpSocket: { port: 'grpc' } }; }, 'spec.template.spec.containers[0].readinessProbe.tcpSocket.port', 'port "grpc" is not declared'],
], () => new ProbePortCheck());

/** A Deployment, its Service, HPA and PDB in one directory. */
function stack(): ManifestObject[] {
  const d = deployment();
  return [
    { file: 'a.yaml', manifest: d },
    { file: 'a.yaml', manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 'metrics' }] } } },
    { file: 'a.yaml', manifest: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 6 } } },
    { file: 'a.yaml', manifest: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } } },
  ];
}
const obj = (objects: ManifestObject[], kind: string) => objects.find((o) => o.manifest.kind === kind)!.manifest;

describe('lint/service-target-port (cross-object)', () => {
  test('named targetPorts every selected pod declares: no finding', () => {
    expect(new ServiceTargetPortCheck().check(stack())).toEqual([]);
  });
  test.each<[string, (o: ManifestObject[]) => void, string, string]>([
    ['targetPort names no container port', (o) => { obj(o, 'Service').spec.ports[1].targetPort = 'prom'; }, 'spec.ports[1].targetPort', 'no container of Deployment/shop/web, whose pods this Service selects, declares a TCP port named "prom"'],
    ['targetPort protocol differs', (o) => { obj(o, 'Service').spec.ports[0].protocol = 'UDP'; }, 'spec.ports[0].targetPort', 'declares a UDP port named "http"'],
    ['a second selected workload lacks the port', (o) => { const other = structuredClone(obj(o, 'Deployment')); other.metadata.name = 'web-canary'; other.spec.template.spec.containers[0].ports = []; o.push({ file: 'b.yaml', manifest: other }); }, 'spec.ports[0].targetPort', 'Deployment/shop/web-canary'],
  ])('%s', (_name, fault, path, message) => {
    const objects = stack();
    fault(objects);
    expect(new ServiceTargetPortCheck().check(objects)).toContainEqual(expect.objectContaining({ object: 'Service/shop/web', path, severity: 'error', check: 'lint/service-target-port', message: expect.stringContaining(message) }));
  });
});

describe('lint/pdb-disruptions (cross-object)', () => {
  test('minAvailable below the HPA minimum: no finding', () => {
    expect(new PdbDisruptionCheck().check(stack())).toEqual([]);
  });
  test.each<[string, (o: ManifestObject[]) => void, string, string]>([
    ['maxUnavailable 0', (o) => { obj(o, 'PodDisruptionBudget').spec = { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } }; }, 'spec.maxUnavailable', 'allows no voluntary disruption'],
    ['maxUnavailable 0%', (o) => { obj(o, 'PodDisruptionBudget').spec = { maxUnavailable: '0%', selector: { matchLabels: { app: 'web' } } }; }, 'spec.maxUnavailable', 'allows no voluntary disruption'],
    ['minAvailable 100%', (o) => { obj(o, 'PodDisruptionBudget').spec.minAvailable = '100%'; }, 'spec.minAvailable', 'allows no voluntary disruption'],
    ['minAvailable equal to the HPA minimum', (o) => { obj(o, 'PodDisruptionBudget').spec.minAvailable = 3; }, 'spec.minAvailable', 'requires 3 of the 3 pods that run at the minimum (Deployment/shop/web: 3 (minReplicas of HorizontalPodAutoscaler/shop/web))'],
    ['minAvailable above the HPA minimum', (o) => { obj(o, 'PodDisruptionBudget').spec.minAvailable = 4; }, 'spec.minAvailable', 'requires 4 of the 3 pods'],
    ['minAvailable equal to the replica count (no HPA)', (o) => { o.splice(2, 1); obj(o, 'PodDisruptionBudget').spec.minAvailable = 2; }, 'spec.minAvailable', 'requires 2 of the 2 pods'],
    ['percentage that rounds up to every pod', (o) => { obj(o, 'PodDisruptionBudget').spec.minAvailable = '90%'; }, 'spec.minAvailable', 'requires 3 of the 3 pods'],
  ])('%s', (_name, fault, path, message) => {
    const objects = stack();
    fault(objects);
    expect(new PdbDisruptionCheck().check(objects)).toContainEqual(expect.objectContaining({ object: 'PodDisruptionBudget/shop/web', path, severity: 'error', check: 'lint/pdb-disruptions', message: expect.stringContaining(message) }));
  });
  test('a PDB over workloads in another namespace counts nothing', () => {
    const objects = stack();
    obj(objects, 'PodDisruptionBudget').metadata.namespace = 'other';
    obj(objects, 'PodDisruptionBudget').spec.minAvailable = 5;
    expect(new PdbDisruptionCheck().check(objects)).toEqual([]);
  });
});
