import { App } from 'cdk8s';
import { ConfigurationError, defaultChecks, loadValidationConfig, MicroserviceChart, PlatformNamespace, renderApp, SecretSource } from '../../lib';
import { IMAGE } from '../helpers';

const NS = 'shop';

function app(extra: Record<string, unknown> = {}) {
  const a = new App();
  new PlatformNamespace(a, 'ns', { name: NS, istioInjection: true });
  new MicroserviceChart(a, 'user-service', {
    namespace: NS,
    image: IMAGE,
    config: { data: { database: { host: 'mysql.database', port: 3306 } } },
    secrets: SecretSource.fromExternalSecret({ storeName: 'vault', keys: { 'db-password': { remoteKey: 'user-service', property: 'db-password' } } }),
    egress: [{ namespace: 'database', ports: [3306] }],
    migration: { command: ['/app/migrate', 'up'] },
    ...extra,
  });
  return renderApp(a);
}

const objects = (files: ReturnType<typeof app>) => files.flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));

describe('MicroserviceChart migration', () => {
  const files = app();
  const migration = files.find((f) => f.fileName === '40-user-service-migration.yaml')!;
  const byKind = (kind: string) => migration.objects.map((o) => o.manifest).find((m) => m.kind === kind);

  test('is a file of its own that sorts before the service', () => {
    expect(files.map((f) => f.fileName)).toEqual(['00-ns.yaml', '40-user-service-migration.yaml', '50-user-service.yaml']);
    expect(migration.objects.map((o) => o.manifest.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'ExternalSecret', 'NetworkPolicy', 'Job']);
  });

  test('every object is an Argo CD PreSync hook, re-created on each sync; the Job after its dependencies', () => {
    for (const { manifest } of migration.objects) {
      expect(manifest.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
      expect(manifest.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(manifest.kind === 'Job' ? '0' : '-1');
    }
  });

  test('the Job runs the command with the service\'s image, config and secret values, hardened, never retried forever', () => {
    const job = byKind('Job');
    expect(job.metadata.name).toBe('user-service-migration');
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600 });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('user-service-migration');
    const c = pod.containers[0];
    expect(c.image).toBe(IMAGE);
    expect(c.command).toEqual(['/app/migrate', 'up']);
    expect(c.envFrom).toEqual([{ configMapRef: { name: byKind('ConfigMap').metadata.name } }]);
    expect(byKind('ConfigMap').data).toEqual({ DATABASE_HOST: 'mysql.database', DATABASE_PORT: '3306' });
    expect(c.env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'user-service-migration-secrets', key: 'db-password' } } });
    expect(byKind('ExternalSecret').spec.target.name).toBe('user-service-migration-secrets');
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    // Pods no Service selects (they would get traffic), in the mesh with a native proxy.
    expect(job.spec.template.metadata.labels.app).toBe('user-service-migration');
    expect(job.spec.template.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
  });

  test('its NetworkPolicy reaches the service\'s databases only', () => {
    const np = byKind('NetworkPolicy');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'user-service-migration' } });
    expect(np.spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'database' } } }], ports: [{ protocol: 'TCP', port: 3306 }] }]);
    expect(np.spec.ingress).toBeUndefined();
  });

  test('passes every default check', () => {
    // The service's ExternalSecret names a ClusterSecretStore of the cluster: declared, as a project would.
    const checks = defaultChecks({ externalObjects: [...loadValidationConfig().externalObjects, 'ClusterSecretStore/vault'] });
    expect(checks.flatMap((c) => c.check(objects(files)))).toEqual([]);
  });

  test('an existing Secret is referenced as is', () => {
    const f = app({ secrets: SecretSource.fromExistingSecret('user-db', ['db-password']) });
    const job = f.flatMap((x) => x.objects.map((o) => o.manifest)).find((m) => m.kind === 'Job');
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'user-db', key: 'db-password' } } });
  });

  test.each([
    ['no command', { command: [] }, /invalid migration\.command: \[\]; allowed: a non-empty list/],
    ['an unpinned image', { command: ['x'], image: 'migrate:latest' }, /invalid container\.image: "migrate:latest"/],
    ['a bad deadline', { command: ['x'], activeDeadlineSeconds: 0 }, /invalid activeDeadlineSeconds: 0/],
  ])('%s is refused', (_, migration, message) => {
    let error: unknown;
    try { app({ migration }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
