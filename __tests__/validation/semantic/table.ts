import { Finding, ManifestCheck, SemanticCheck } from '../../../lib';

/** One rule: how to break the valid object, and the finding expected at `path` whose message contains `message`. */
export type RuleCase = [name: string, fault: (manifest: any) => void, path: string, message: string, severity?: 'error' | 'warning'];

/** Findings of `check` (default: the semantic check) on one object. */
export function findingsOf(manifest: any, check: ManifestCheck = new SemanticCheck()): Finding[] {
  return check.check([{ file: 'test.yaml', manifest }]);
}

/**
 * Table-driven rule tests: the valid object has no finding at all, and each case, applied to a
 * fresh copy, produces its finding (path, message, severity, check name).
 */
export function ruleTable(title: string, valid: () => any, cases: RuleCase[], check: () => ManifestCheck = () => new SemanticCheck()): void {
  describe(title, () => {
    test('the valid object has no finding', () => {
      expect(findingsOf(valid(), check())).toEqual([]);
    });
    test.each(cases)('%s', (_name, fault, path, message, severity = 'error') => {
      const manifest = structuredClone(valid());
      fault(manifest);
      const c = check();
      expect(findingsOf(manifest, c)).toContainEqual(expect.objectContaining({ path, severity, check: c.name, message: expect.stringContaining(message) }));
    });
  });
}

/** A valid Deployment exercising most pod spec fields. */
export function deployment(): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          initContainers: [
            { name: 'migrate', image: 'migrate:1.0', command: ['migrate'] },
            { name: 'proxy', image: 'proxy:1.0', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 15001 } } },
          ],
          containers: [{
            name: 'web', image: 'web:1.0',
            ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
            env: [{ name: 'MODE', value: 'prod' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'KEY', valueFrom: { secretKeyRef: { name: 'web', key: 'api.key' } } }],
            envFrom: [{ configMapRef: { name: 'web-config' } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '512Mi' } },
            livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, successThreshold: 1 },
            readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, successThreshold: 2 },
            startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config', mountPath: '/etc/web', readOnly: true }],
            securityContext: { allowPrivilegeEscalation: false, procMount: 'Default', capabilities: { drop: ['ALL'] } },
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            { name: 'config', projected: { sources: [{ configMap: { name: 'web-config', items: [{ key: 'a', path: 'a.conf' }] } },
              { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } }],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
          securityContext: { runAsUser: 1000, fsGroup: 2000, sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }], seccompProfile: { type: 'RuntimeDefault' } },
          dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
  };
}
