import { defaultChecks, SemanticCheck, semanticValidatorOf } from '../../../lib';
import { deployment, findingsOf } from './table';

describe('SemanticCheck', () => {
  test('custom resources and unknown groups are skipped, whatever they contain', () => {
    const broken = { spec: { ports: [{ port: 70000 }], minReplicas: 5, maxReplicas: 1 } };
    for (const apiVersion of ['networking.istio.io/v1', 'keda.sh/v1alpha1', 'example.com/v1']) {
      expect(findingsOf({ apiVersion, kind: 'Service', metadata: { name: 'x' }, ...broken })).toEqual([]);
      expect(findingsOf({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, ...broken })).toEqual([]);
    }
    expect(semanticValidatorOf({ apiVersion: 'v1', kind: 'Service' })).toBeDefined();
    expect(semanticValidatorOf({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' })).toBeDefined();
    expect(semanticValidatorOf({ kind: 'Service' })).toBeUndefined();
  });

  test('findings name the file, the object and the check; errors and warnings', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.requests.cpu = '2';
    d.spec.template.spec.containers[0].env.push({ name: 'MODE', value: 'x' });
    expect(new SemanticCheck().check([{ file: 'prod/50-web.yaml', manifest: d }])).toEqual([
      { file: 'prod/50-web.yaml', object: 'Deployment/shop/web', path: 'spec.template.spec.containers[0].env[4]', severity: 'warning', check: 'semantic', message: expect.stringContaining('hides previous definition of "MODE"') },
      { file: 'prod/50-web.yaml', object: 'Deployment/shop/web', path: 'spec.template.spec.containers[0].resources.requests', severity: 'error', check: 'semantic', message: 'Invalid value: "2": must be less than or equal to cpu limit of 1' },
    ]);
  });

  test('garbage does not throw: every field may be missing or of the wrong type', () => {
    const kinds = [['v1', 'Pod'], ['v1', 'Service'], ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'], ['batch/v1', 'Job'], ['batch/v1', 'CronJob'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['networking.k8s.io/v1', 'Ingress'],
      ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'LimitRange'], ['v1', 'ResourceQuota'], ['rbac.authorization.k8s.io/v1', 'RoleBinding']];
    for (const [apiVersion, kind] of kinds) {
      for (const spec of [undefined, {}, { template: { spec: { containers: [null, {}] } }, ports: [null], rules: [null], metrics: [null], limits: [null] }]) {
        expect(() => new SemanticCheck().check([{ file: 'x', manifest: { apiVersion, kind, metadata: { name: 'x' }, spec } }])).not.toThrow();
      }
    }
  });

  test('registered in defaultChecks with the linter checks; the per-object ones can run on a worker thread', () => {
    const checks = defaultChecks();
    const names = checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['semantic', 'lint/unsafe-sysctls', 'lint/unsafe-proc-mount', 'lint/probe-port', 'lint/service-target-port', 'lint/pdb-disruptions']));
    for (const check of checks.filter((c) => c.name === 'semantic' || c.name.startsWith('lint/'))) {
      const factory = (check as any).threadFactory;
      const rebuilt = new (require(factory.module)[factory.exportName])(...factory.args);
      expect(rebuilt.name).toBe(check.name);
    }
    const perObject = Object.fromEntries(checks.map((c) => [c.name, (c as any).perObject === true]));
    expect(perObject).toMatchObject({ 'semantic': true, 'lint/probe-port': true, 'lint/service-target-port': false, 'lint/pdb-disruptions': false });
  });
});
