import { App, Chart } from 'cdk8s';
import {
  ConfigurationError, defaultChecks, loadValidationConfig, PlatformNamespace, Probe, renderApp, SecretSource, ServiceDaemonSet, ServiceStatefulSet, ServiceStatefulSetProps, ServiceVolumeClaim,
} from '../../lib';
import { thrownBy } from '../helpers';

const NS = 'data';
const MYSQL = 'docker.io/library/mysql:8.0.36';

function build(add: (chart: Chart) => void): Array<{ file: string; manifest: any }> {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: NS });
  const chart = new Chart(app, 'data', { namespace: NS, disableResourceNameHashes: true });
  add(chart);
  return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
}
// The fixtures' ExternalSecrets name a ClusterSecretStore of the cluster: declared, as a project would.
const checks = defaultChecks({ externalObjects: [...loadValidationConfig().externalObjects, 'ClusterSecretStore/vault-dev'] });
const findings = (objects: any[]) => checks.flatMap((c) => c.check(objects));
const get = (objects: any[], kind: string) => objects.filter((o) => o.manifest.kind === kind).map((o) => o.manifest);

const error = (fn: () => unknown): ConfigurationError => thrownBy(ConfigurationError, fn);

const mysql: ServiceStatefulSetProps = {
  name: 'mysql',
  image: MYSQL,
  runAsUser: 999,
  ports: [{ name: 'mysql', port: 3306 }],
  readinessProbe: Probe.tcp({ periodSeconds: 5 }),
  livenessProbe: Probe.tcp({ initialDelaySeconds: 30 }),
  writablePaths: ['/tmp', '/var/run/mysqld'],
  volumeMounts: [{ volume: 'data', path: '/var/lib/mysql' }],
  volumeClaimTemplates: [{ name: 'data', size: '10Gi', storageClassName: 'rook-ceph-block' }],
  secrets: SecretSource.fromExternalSecret({ storeName: 'vault-dev', keys: { 'root-password': { remoteKey: 'ecommerce/mysql-dev', property: 'root-password' } } }),
  secretEnv: { MYSQL_ROOT_PASSWORD: 'root-password' },
  ingressSources: [{ namespace: 'shop' }],
};

describe('ServiceStatefulSet', () => {
  test('renders the StatefulSet, its headless Service, claims, NetworkPolicy and PDB, and passes every default check', () => {
    const objects = build((chart) => new ServiceStatefulSet(chart, 'mysql', {
      ...mysql, replicas: 3, podManagementPolicy: 'Parallel', updateStrategy: { partition: 2 }, disruptionBudget: { maxUnavailable: '34%' },
    }));
    const [sts] = get(objects, 'StatefulSet');
    expect(sts.spec).toMatchObject({
      replicas: 3, serviceName: 'mysql', podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: { app: 'mysql' } },
    });
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: expect.objectContaining({ app: 'mysql' }) },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'rook-ceph-block', resources: { requests: { storage: '10Gi' } } },
    }]);
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999, runAsNonRoot: true });
    const c = pod.containers[0];
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'var-run-mysqld', mountPath: '/var/run/mysqld' }, { name: 'data', mountPath: '/var/lib/mysql' }]);
    expect(c.env).toEqual([{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql-secrets', key: 'root-password' } } }]);
    expect(c.readinessProbe.tcpSocket.port).toBe('mysql');
    const [svc] = get(objects, 'Service');
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }] });
    const [pdb] = get(objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe('34%');
    const np = get(objects, 'NetworkPolicy').find((x) => x.metadata.name === 'mysql');
    expect(np.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ protocol: 'TCP', port: 3306 }] },
      { from: [{ podSelector: { matchLabels: { app: 'mysql' } } }], ports: [{ protocol: 'TCP', port: 3306 }] },
    ]);
    expect(get(objects, 'ServiceAccount')[0].automountServiceAccountToken).toBe(false);
    expect(get(objects, 'ExternalSecret')[0].spec.target.name).toBe('mysql-secrets');
    expect(findings(objects)).toEqual([]);
  });

  test('one replica: no PDB (it would block every drain)', () => {
    expect(get(build((chart) => new ServiceStatefulSet(chart, 'mysql', mysql)), 'PodDisruptionBudget')).toEqual([]);
  });

  test.each([
    ['a size that is not a quantity', { volumeClaimTemplates: [{ name: 'data', size: '10 gigs' }] }, /invalid volumeClaimTemplates\[0\]\.size: "10 gigs"; allowed: a Kubernetes quantity/],
    ['an unknown access mode', { volumeClaimTemplates: [{ name: 'data', size: '1Gi', accessModes: ['ReadWriteAll'] }] }, /invalid volumeClaimTemplates\[0\]\.accessModes\[0\]: "ReadWriteAll"/],
    ['a mount of no volume nor claim', { volumeMounts: [{ volume: 'logs', path: '/logs' }] }, /volumeMounts\[0\]\.volume: "logs"; allowed: the name of a volume of the pod: tmp, var-run-mysqld, data/],
    ['no readiness probe', { readinessProbe: undefined }, /invalid readinessProbe: undefined; allowed: a Probe: every container of a StatefulSet that keeps running needs readiness and liveness probes/],
    ['a partition above the replicas', { updateStrategy: { partition: 5 } }, /invalid updateStrategy\.partition: 5; allowed: an integer from 0 to 1/],
    ['a partition with OnDelete', { updateStrategy: { type: 'OnDelete', partition: 0 } }, /invalid updateStrategy\.partition: 0; allowed: a partition only with type RollingUpdate/],
    ['no port', { ports: [] }, /invalid ports: \[\]; allowed: at least one named port/],
    ['a PDB percentage over 100', { replicas: 3, disruptionBudget: { maxUnavailable: '150%' } }, /invalid disruptionBudget\.maxUnavailable: "150%"/],
    ['two containers with one name', { pod: { extraContainers: [{ name: 'mysql', image: MYSQL, ports: [{ name: 'x', port: 1 }], readinessProbe: Probe.tcp(), livenessProbe: Probe.tcp() }] } }, /invalid pod\.containers: "mysql"; allowed: container names unique in the pod/],
    ['a claim template named like a volume', { volumeClaimTemplates: [{ name: 'tmp', size: '1Gi' }] }, /invalid pod\.volumes: "tmp"; allowed: a name other than the claim template's/],
  ])('%s is refused with the field', (_, props, message) => {
    const chart = new Chart(new App(), 'c', { namespace: NS });
    expect(error(() => new ServiceStatefulSet(chart, 'sts', { ...mysql, ...props } as any)).message).toMatch(message);
  });
});

describe('ServiceDaemonSet', () => {
  test('one hardened pod per node, passing every default check', () => {
    const objects = build((chart) => new ServiceDaemonSet(chart, 'agent', {
      name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.1', ports: [{ name: 'metrics', port: 9100 }],
      readinessProbe: Probe.http('/'), livenessProbe: Probe.http('/'), ingressSources: [{ namespace: 'monitoring' }],
      tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }], maxUnavailable: '10%',
    }));
    const [ds] = get(objects, 'DaemonSet');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } });
    expect(ds.spec.template.spec.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
    expect(ds.spec.template.spec.hostNetwork).toBeUndefined();
    expect(ds.spec.template.spec.containers[0].securityContext.privileged).toBe(false);
    expect(findings(objects)).toEqual([]);
  });
});

test.each([['0%'], [0], ['150%'], ['ten']])('ServiceDaemonSet maxUnavailable %p is refused', (value) => {
  const chart = new Chart(new App(), 'c', { namespace: NS });
  expect(error(() => new ServiceDaemonSet(chart, 'ds', {
    name: 'agent', image: MYSQL, ports: [{ name: 'm', port: 9100 }], readinessProbe: Probe.tcp(), livenessProbe: Probe.tcp(), maxUnavailable: value as any,
  })).message).toMatch(/invalid maxUnavailable: .*; allowed: an integer from 1 to 10000, or a percentage from "1%" to "100%"/);
});

describe('ServiceVolumeClaim and pod volumes', () => {
  test('a standalone claim mounted by a StatefulSet pod as a volume; Secret files, memory emptyDir, downward API, env valueFrom', () => {
    const objects = build((chart) => {
      new ServiceVolumeClaim(chart, 'shared', { name: 'shared', size: '5Gi', accessModes: ['ReadWriteMany'] });
      new ServiceStatefulSet(chart, 'mysql', {
        ...mysql,
        volumeMounts: [
          { volume: 'data', path: '/var/lib/mysql' }, { volume: 'shared', path: '/shared' }, { volume: 'tls', path: '/etc/tls' },
          { volume: 'scratch', path: '/scratch' }, { volume: 'podinfo', path: '/etc/podinfo' },
        ],
        envValueFrom: { POD_NAME: { fieldPath: 'metadata.name' }, MEMORY_LIMIT: { resource: { resource: 'limits.memory', divisor: '1Mi' } } },
        envFrom: [{ configMap: 'mysql-settings', optional: true }],
        pod: {
          volumes: [
            { name: 'shared', persistentVolumeClaim: { claimName: 'shared' } },
            { name: 'tls', secret: { secretName: 'mysql-tls', items: [{ key: 'tls.crt', path: 'cert.pem' }, { key: 'tls.key', path: 'key.pem', mode: 0o400 }] } },
            { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldPath: 'metadata.labels' }] } },
          ],
          topologySpread: [{}],
          priorityClassName: 'data-critical',
        },
      });
    });
    const [pvc] = get(objects, 'PersistentVolumeClaim');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } });
    const pod = get(objects, 'StatefulSet')[0].spec.template.spec;
    expect(pod.volumes.find((x: any) => x.name === 'tls').secret).toEqual({ secretName: 'mysql-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'cert.pem' }, { key: 'tls.key', path: 'key.pem', mode: 0o400 }] });
    expect(pod.volumes.find((x: any) => x.name === 'scratch').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '64Mi' });
    expect(pod.volumes.find((x: any) => x.name === 'podinfo').downwardAPI).toEqual({ items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] });
    const c = pod.containers[0];
    expect(c.env).toEqual(expect.arrayContaining([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'MEMORY_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    ]));
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'mysql-settings', optional: true } }]);
    expect(pod.topologySpreadConstraints).toEqual([{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'mysql' } } }]);
    expect(pod.priorityClassName).toBe('data-critical');
    expect(findings(objects)).toEqual([]);
  });

  test('cross-reference: a claim that does not exist is reported with its path', () => {
    const objects = build((chart) => new ServiceStatefulSet(chart, 'mysql', {
      ...mysql, volumeMounts: [{ volume: 'shared', path: '/shared' }], pod: { volumes: [{ name: 'shared', persistentVolumeClaim: { claimName: 'nowhere' } }] },
    }));
    expect(findings(objects).map((f) => `${f.check} ${f.path}: ${f.message}`)).toEqual([
      'cross-reference spec.template.spec.volumes[2].persistentVolumeClaim.claimName: PersistentVolumeClaim "nowhere" does not exist in "data": create it, or use a StatefulSet volume claim template',
    ]);
  });

  test.each([
    ['a volume with two sources', { volumes: [{ name: 'x', emptyDir: {}, secret: { secretName: 's' } }] }, /invalid pod\.volumes\[0\]: .*allowed: exactly one source/],
    ['a file mode above 0777', { volumes: [{ name: 'x', secret: { secretName: 's', defaultMode: 0o1000 } }] }, /invalid pod\.volumes\[0\]\.secret\.defaultMode: 512/],
    ['an emptyDir medium other than Memory', { volumes: [{ name: 'x', emptyDir: { medium: 'Disk' } }] }, /invalid pod\.volumes\[0\]\.emptyDir\.medium: "Disk"/],
    ['an item path with ..', { volumes: [{ name: 'x', configMap: { name: 'c', items: [{ key: 'k', path: '../etc/passwd' }] } }] }, /invalid pod\.volumes\[0\]\.configMap\.items\[0\]\.path: "\.\.\/etc\/passwd"/],
    ['a classic sidecar without probes on a StatefulSet', { sidecars: [{ name: 'log', image: MYSQL, native: false }] }, /invalid pod\.sidecars\[0\]\.readinessProbe: undefined/],
  ])('%s is refused with the field', (_, pod, message) => {
    const chart = new Chart(new App(), 'c', { namespace: NS });
    expect(error(() => new ServiceStatefulSet(chart, 'sts', { ...mysql, pod } as any)).message).toMatch(message);
  });

  test('env valueFrom: exactly one source, known pod fields', () => {
    const chart = () => new Chart(new App(), 'c', { namespace: NS });
    expect(error(() => new ServiceStatefulSet(chart(), 'sts', { ...mysql, envValueFrom: { X: { fieldPath: 'spec.secret' } } })).message).toMatch(/invalid envValueFrom\.X\.fieldPath: "spec\.secret"; allowed: a pod field/);
    expect(error(() => new ServiceStatefulSet(chart(), 'sts', { ...mysql, envValueFrom: { X: {} } })).message).toMatch(/invalid envValueFrom\.X: \{\}; allowed: exactly one of secretKey, configMapKey, fieldPath, resource/);
  });
});

describe('cross-references of a StatefulSet', () => {
  const sts = (serviceClusterIP?: string) => [
    { file: 'a.yaml', manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } },
    { file: 'a.yaml', manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: NS }, spec: { clusterIP: serviceClusterIP, selector: { app: 'db' }, ports: [{ port: 5432 }] } } },
    { file: 'a.yaml', manifest: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: MYSQL }] } } } } },
  ];
  const check = () => defaultChecks().find((c) => c.name === 'cross-reference')!;

  test('its governing Service must be headless', () => {
    expect(check().check(sts()).map((f) => `${f.object} ${f.path}: ${f.message}`)).toEqual([
      'StatefulSet/data/db spec.serviceName: Service "db" is not headless (clusterIP: None): the pods get no stable DNS names',
    ]);
    expect(check().check(sts('None'))).toEqual([]);
  });

  test('and must exist', () => {
    expect(check().check([sts('None')[0], sts('None')[2]]).map((f) => f.message)).toEqual([
      'Service "db" does not exist in "data": the pods get no stable DNS names (<pod>.db)',
    ]);
  });
});
