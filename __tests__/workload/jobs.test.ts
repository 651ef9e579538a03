import { App, Chart } from 'cdk8s';
import { KubeServiceAccount } from '../../imports/k8s';
import { ConfigurationError, defaultChecks, MicroserviceChart, PlatformNamespace, Probe, renderApp, ServiceCronJob, ServiceJob } from '../../lib';
import { IMAGE, thrownBy } from '../helpers';

const NS = 'shop';

/** A namespace, a ServiceAccount and whatever `build` adds, in one chart; every object rendered. */
function build(add: (chart: Chart) => void): any[] {
  const app = new App();
  new PlatformNamespace(app, 'ns', { name: NS });
  const chart = new Chart(app, 'jobs', { namespace: NS, disableResourceNameHashes: true });
  new KubeServiceAccount(chart, 'sa', { metadata: { name: 'worker' }, automountServiceAccountToken: false });
  add(chart);
  return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
}

const findings = (objects: any[]) => defaultChecks().flatMap((c) => c.check(objects));
const manifest = (objects: any[], kind: string) => objects.find((o) => o.manifest.kind === kind).manifest;

const error = (fn: () => unknown): ConfigurationError => thrownBy(ConfigurationError, fn);

const job = { container: { image: IMAGE, command: ['/app/migrate', 'up'] }, serviceAccountName: 'worker' };

describe('ServiceJob', () => {
  test('renders a hardened Job with its run-to-completion settings, and passes every default check', () => {
    const objects = build((chart) => new ServiceJob(chart, 'migrate', {
      ...job, name: 'user-migrate', backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600, restartPolicy: 'Never', parallelism: 2, completions: 4,
    }));
    const j = manifest(objects, 'Job');
    expect(j.apiVersion).toBe('batch/v1');
    expect(j.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600, parallelism: 2, completions: 4 });
    const pod = j.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('worker');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.name).toBe('user-migrate');
    expect(c.command).toEqual(['/app/migrate', 'up']);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(c.livenessProbe).toBeUndefined();
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    // In a mesh the proxy is a native sidecar, so the pod completes when the job's container exits.
    expect(j.spec.template.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(findings(objects)).toEqual([]);
  });

  test('defaults: OnFailure, 3 retries, kept one day, one pod', () => {
    const j = manifest(build((chart) => new ServiceJob(chart, 'm', { ...job, name: 'm' })), 'Job');
    expect(j.spec).toMatchObject({ backoffLimit: 3, ttlSecondsAfterFinished: 86400, parallelism: 1, completions: 1 });
    expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(j.spec.activeDeadlineSeconds).toBeUndefined();
  });

  test('no sidecar annotation when the pod is kept out of the mesh', () => {
    const j = manifest(build((chart) => new ServiceJob(chart, 'm', { ...job, name: 'm', podLabels: { 'sidecar.istio.io/inject': 'false' } })), 'Job');
    expect(j.spec.template.metadata.annotations?.['sidecar.istio.io/nativeSidecar']).toBeUndefined();
  });

  test.each([
    ['restartPolicy', { restartPolicy: 'Always' }, /invalid restartPolicy: "Always"; allowed: one of "OnFailure", "Never"/],
    ['backoffLimit', { backoffLimit: -1 }, /invalid backoffLimit: -1/],
    ['activeDeadlineSeconds', { activeDeadlineSeconds: 0 }, /invalid activeDeadlineSeconds: 0/],
    ['parallelism', { parallelism: 3, completions: 2 }, /invalid parallelism: 3; allowed: at most completions \(2\)/],
    ['container.image', { container: { image: 'nginx:latest' } }, /invalid container\.image: "nginx:latest"/],
    ['container.resources', { container: { image: IMAGE, resources: { memoryRequest: 'lots' } } }, /invalid container\.resources\.memoryRequest: "lots"/],
    ['container.env', { container: { image: IMAGE, env: { DB_PASSWORD: 'hunter2hunter2' } } }, /container\.env\.DB_PASSWORD/],
    ['a mount without a volume', { container: { image: IMAGE, volumeMounts: [{ volume: 'data', path: '/data' }] } }, /invalid container\.volumeMounts\[0\]\.volume: "data"; allowed: the name of a volume of the pod: tmp/],
    ['a classic sidecar', { pod: { sidecars: [{ name: 'log', image: IMAGE, native: false }] } }, /invalid pod\.sidecars\[0\]\.native: false; allowed: true on a Job/],
    ['two containers with one name', { pod: { sidecars: [{ name: 'm', image: IMAGE }] } }, /invalid pod\.containers: "m"; allowed: container names unique in the pod/],
  ])('%s is refused with the field', (_, props, message) => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: NS });
    expect(error(() => new ServiceJob(chart, 'job', { ...job, name: 'm', ...props } as any)).message).toMatch(message);
  });

  test('a native sidecar and an init step are hardened too', () => {
    const objects = build((chart) => new ServiceJob(chart, 'm', {
      ...job,
      name: 'm',
      pod: {
        initContainers: [{ name: 'wait-db', image: IMAGE, command: ['/bin/wait-for', 'mysql:3306'] }],
        sidecars: [{ name: 'cloud-sql-proxy', image: IMAGE, ports: [{ name: 'sql', port: 5432 }] }],
      },
    }));
    const pod = manifest(objects, 'Job').spec.template.spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['cloud-sql-proxy', 'Always'], ['wait-db', undefined]]);
    for (const c of pod.initContainers) expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(findings(objects)).toEqual([]);
  });
});

describe('ServiceCronJob', () => {
  const cron = { ...job, name: 'expire-orders', schedule: '0 2 * * *' };

  test('renders the schedule and history settings, and passes every default check', () => {
    const objects = build((chart) => new ServiceCronJob(chart, 'cron', {
      ...cron, timeZone: 'Asia/Shanghai', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5, backoffLimit: 1,
    }));
    const c = manifest(objects, 'CronJob');
    expect(c.spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Asia/Shanghai', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 120, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5 });
    expect(c.spec.jobTemplate.spec.backoffLimit).toBe(1);
    expect(c.spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    expect(findings(objects)).toEqual([]);
  });

  test('defaults: Forbid overlapping runs, 300 s start deadline, 3 + 3 kept', () => {
    const c = manifest(build((chart) => new ServiceCronJob(chart, 'cron', cron)), 'CronJob');
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(c.spec.timeZone).toBeUndefined();
  });

  test.each([
    ['a schedule of four fields', { schedule: '0 2 * *' }, /invalid schedule: "0 2 \* \*"; allowed: a cron schedule .*expected exactly 5 fields/],
    ['an hour out of range', { schedule: '0 24 * * *' }, /invalid schedule: "0 24 \* \* \*".*hour: end of range \(24\) above maximum \(23\)/],
    ['TZ= in the schedule', { schedule: 'TZ=UTC 0 2 * * *' }, /invalid schedule: "TZ=UTC 0 2 \* \* \*"; allowed: a schedule without TZ=/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /invalid timeZone: "Mars\/Olympus"/],
    ['a name over 52 characters', { name: 'x'.repeat(53) }, /invalid name: "x{53}"; allowed: a DNS label of at most 52 characters/],
    ['concurrencyPolicy', { concurrencyPolicy: 'Sometimes' }, /invalid concurrencyPolicy: "Sometimes"/],
    ['a missing schedule', { schedule: null }, /invalid schedule: null/],
  ])('%s is refused with the field', (_, props, message) => {
    const chart = new Chart(new App(), 'c', { namespace: NS });
    expect(error(() => new ServiceCronJob(chart, 'cron', { ...cron, ...props } as any)).message).toMatch(message);
  });

  test('the policy check still wants probes on long-running pods, not on job pods', () => {
    const container = { name: 'app', image: IMAGE, resources: { requests: { cpu: '1m', memory: '1Mi' }, limits: { memory: '1Mi' } } };
    const pod = { containers: [container] };
    const objects = [
      { file: 'a.yaml', manifest: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: NS }, spec: { template: { spec: { ...pod, restartPolicy: 'Never' } } } } },
      { file: 'a.yaml', manifest: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: NS }, spec: { serviceName: 's', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod } } } },
    ];
    const check = defaultChecks().find((c) => c.name === 'policy/resources-and-probes')!;
    expect(check.check(objects).map((f) => `${f.object} ${f.path}`)).toEqual([
      'StatefulSet/shop/s spec.template.spec.containers[0].readinessProbe',
      'StatefulSet/shop/s spec.template.spec.containers[0].livenessProbe',
    ]);
  });
});

test('Probe is re-exported for job sidecars', () => expect(Probe.tcp()).toBeInstanceOf(Probe));

describe('a service\'s Deployment with several containers', () => {
  test('init step, native sidecar and extra container, each hardened; every default check passes', () => {
    const app = new App();
    new PlatformNamespace(app, 'ns', { name: NS });
    new MicroserviceChart(app, 'user-service', {
      namespace: NS,
      image: IMAGE,
      pod: {
        initContainers: [{ name: 'wait-db', image: IMAGE, command: ['/bin/wait-for', 'mysql:3306'], resources: { cpuRequest: '10m', memoryRequest: '16Mi', memoryLimit: '32Mi' } }],
        sidecars: [{ name: 'log-shipper', image: IMAGE, volumeMounts: [{ volume: 'logs', path: '/var/log/app', readOnly: true }] }],
        extraContainers: [{ name: 'admin', image: IMAGE, ports: [{ name: 'admin', port: 9000 }], readinessProbe: Probe.http('/ready'), livenessProbe: Probe.tcp() }],
        volumes: [{ name: 'logs', emptyDir: { sizeLimit: '1Gi' } }],
      },
      volumeMounts: [{ volume: 'logs', path: '/var/log/app' }],
    });
    const objects = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    const pod = manifest(objects, 'Deployment').spec.template.spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always'], ['wait-db', undefined]]);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['user-service', 'admin']);
    expect(pod.containers[1].readinessProbe.httpGet).toEqual({ path: '/ready', port: 'admin' });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.limits.memory).toBeDefined();
    }
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'logs', mountPath: '/var/log/app' });
    expect(findings(objects)).toEqual([]);
  });

  test.each([
    ['an extra container without probes', { extraContainers: [{ name: 'admin', image: IMAGE, ports: [{ name: 'admin', port: 9000 }] }] }, /invalid pod\.extraContainers\[0\]\.readinessProbe: undefined; allowed: a Probe: every container of a Deployment/],
    ['a sidecar named like the app', { sidecars: [{ name: 'user-service', image: IMAGE }] }, /invalid pod\.containers: "user-service"; allowed: container names unique in the pod/],
    ['a probe on an init step', { initContainers: [{ name: 'x', image: IMAGE, ports: [{ name: 'p', port: 1 }], readinessProbe: Probe.tcp() }] }, /invalid pod\.initContainers\[0\]\.readinessProbe: .*allowed: no probe on an init step/],
  ])('%s is refused with the field', (_, pod, message) => {
    expect(error(() => new MicroserviceChart(new App(), 'user-service', { image: IMAGE, pod })).message).toMatch(message);
  });
});
