import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Helm, Include, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { defaultChecks, ManifestCheckError, renderApp, SchemaCheck, SchemaRegistry, synthesize } from '../../lib';
import { ROOT } from '../helpers';

/*
 * An app may contain any object — a plain ApiObject, a cdk8s-plus construct, an Include of a YAML
 * file, Helm-rendered objects — and each is validated against its schema: the built-in sources,
 * or schema locations the user adds.
 */

const scratch = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const WIDGET_CRD = path.join(ROOT, '__tests__', 'fixtures', 'crds', 'widgets.example.com.yaml');
const registry = SchemaRegistry.default();
const NS = 'shop';

const serviceMonitor = (endpoint: object = {}) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'user-service', namespace: NS, labels: { release: 'kube-prometheus-stack' } },
  spec: { selector: { matchLabels: { app: 'user-service' } }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s', ...endpoint }] },
});

const rollout = (canary: object = { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 50 }] }) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'user-service', namespace: NS },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'user-service' } },
    template: { metadata: { labels: { app: 'user-service' } }, spec: { containers: [{ name: 'app', image: 'harbor.example.com/user-service:v1.2.3' }] } },
    strategy: { canary },
  },
});

describe('objects of the built-in sources beyond the library\'s own kinds', () => {
  test('a ServiceMonitor and an Argo Rollouts Rollout validate against their upstream CRDs', () => {
    expect(registry.validate(serviceMonitor())).toEqual([]);
    expect(registry.validate(rollout())).toEqual([]);
  });

  test('an unknown field in either is reported with its path', () => {
    expect(registry.validate(serviceMonitor({ intervall: '30s' }))).toEqual([
      { path: 'spec.endpoints[0].intervall', message: 'unknown field "intervall"', check: 'schema' },
    ]);
    expect(registry.validate(rollout({ stepz: [] }))).toEqual([
      { path: 'spec.strategy.canary.stepz', message: 'unknown field "stepz"', check: 'schema' },
    ]);
  });

  test('Prometheus Operator patterns in RE2 syntax are enforced, not a reason to fail compiling', () => {
    const rule = (action: string) => ({
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r', namespace: NS },
      spec: { groups: [{ name: 'g', rules: [{ record: 'x', expr: 'up' }], partial_response_strategy: action }] },
    });
    expect(registry.validate(rule('Warn'))).toEqual([]); // (?i) in the upstream pattern
    expect(registry.validate(rule('later'))).toEqual([expect.objectContaining({ path: 'spec.groups[0].partial_response_strategy', check: 'schema' })]);
  });

  test('cert-manager, Gateway API, Argo CD and External Secrets stores are built in', () => {
    const objects = [
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'gw', namespace: 'istio-system' }, spec: { secretName: 'gw-tls', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: NS }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'user-service', port: 80 }] }] } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop', namespace: 'argocd' }, spec: { destinations: [{ namespace: NS, server: 'https://kubernetes.default.svc' }], sourceRepos: ['*'] } },
      { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: NS }, spec: { provider: { vault: { server: 'https://vault.example.com', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'shop' } } } } } },
    ];
    for (const o of objects) expect([o.kind, registry.validate(o)]).toEqual([o.kind, []]);
  });
});

describe('kinds from the user\'s schema locations', () => {
  const widget = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS }, spec });
  const withLocation = new SchemaRegistry({ ...registry.options, schemaLocations: [WIDGET_CRD] });

  test('a made-up CRD given as a schema location validates its objects, CEL rules included', () => {
    expect(withLocation.validate(widget({ size: 2, maxSize: 3, color: 'Red' }))).toEqual([]);
    expect(withLocation.validate(widget({ size: 5, maxSize: 3 }))).toEqual([{ path: 'spec', message: expect.stringMatching(/^size must not exceed maxSize \(CEL: /), check: 'cel' }]);
    expect(withLocation.validate(widget({ size: 1, colour: 'red' }))).toEqual([{ path: 'spec.colour', message: 'unknown field "colour"', check: 'schema' }]);
  });

  test('a directory of CRDs is a location too', () => {
    const dir = scratch('crd-dir-');
    fs.copyFileSync(WIDGET_CRD, path.join(dir, 'widgets.yaml'));
    expect(new SchemaRegistry({ ...registry.options, schemaLocations: [dir] }).validate(widget({ size: 5, maxSize: 3 })))
      .toEqual([{ path: 'spec', message: expect.stringMatching(/^size must not exceed maxSize \(CEL: /), check: 'cel' }]);
  });

  test('without it, the kind has no schema: an error naming the kind and the ways out; a warning when missing schemas are ignored', () => {
    const [missing] = registry.validate(widget({ size: 1 }));
    expect(missing).toMatchObject({ path: 'apiVersion', check: 'schema/missing', severity: 'error' });
    expect(missing.message).toMatch(/^no schema for example\.com\/v1\/Widget: .*schema location.*--schema-location.*ignore-check\.cdk8s-microservices\.io\/schema-missing/);
    const lenient = new SchemaRegistry({ ...registry.options, ignoreMissingSchemas: true });
    expect(lenient.validate(widget({ size: 1 }))).toEqual([expect.objectContaining({ check: 'schema/missing', severity: 'warning' })]);
  });

  test('a version the CRD does not serve, or a Kubernetes apiVersion typo, is an error of the schema check', () => {
    const [missing] = withLocation.validate({ ...widget({ size: 1 }), apiVersion: 'example.com/v2' });
    expect(missing).toEqual({ path: 'apiVersion', check: 'schema', message: 'Widget is not served at example.com/v2: widgets.example.com.yaml defines it in versions v1' });
    // Nor is a typo in a Kubernetes apiVersion an "unknown kind" that --ignore-missing-schemas would let through.
    const lenient = new SchemaRegistry({ ...registry.options, ignoreMissingSchemas: true });
    expect(lenient.validate({ apiVersion: 'v1beta1', kind: 'Service', metadata: { name: 's' } }))
      .toEqual([{ path: 'apiVersion', check: 'schema', message: 'no kind Service in the Kubernetes API v1beta1 (a typo in apiVersion or kind?)' }]);
    expect(lenient.validate({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 's' } })[0].message)
      .toBe('ExternalSecret is not served at external-secrets.io/v1beta1: external-secrets-v2.9.0-externalsecrets.yaml defines it in versions v1');
  });

  test('a location that does not exist is an error naming it', () => {
    const broken = new SchemaRegistry({ ...registry.options, schemaLocations: ['/nonexistent/crds'] });
    expect(() => broken.validate(widget({ size: 1 }))).toThrow(/schema location \/nonexistent\/crds: no such file or directory/);
  });
});

describe('any object in an app is synthesized and checked', () => {
  function appWith(build: (chart: Chart) => void): App {
    const app = new App();
    new ApiObject(new Chart(app, 'namespace'), 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    build(new Chart(app, 'extras', { namespace: NS }));
    return app;
  }
  const synth = (app: App, extra: object = {}) => synthesize({ apps: { prod: app }, outdir: path.join(scratch('any-kind-'), 'dist'), checks: [new SchemaCheck(registry)], ...extra });

  test('a plain ApiObject of a user CRD: refused without its schema location, checked with it (in code)', () => {
    const build = (size: number) => appWith((chart) => {
      new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size, maxSize: 3 } } as any);
    });
    expect(() => synth(build(1))).toThrow(/no schema for example\.com\/v1\/Widget/);
    const result = synthesize({ apps: { prod: build(1) }, outdir: path.join(scratch('any-kind-'), 'dist'), schemaLocations: [WIDGET_CRD] });
    expect(result.objectCount).toBe(2);
    expect(result.findings).toEqual([]);
    expect(() => synthesize({ apps: { prod: build(5) }, outdir: scratch('any-kind-'), schemaLocations: [WIDGET_CRD] }))
      .toThrow(/Widget\/shop\/w: spec: size must not exceed maxSize \(CEL: .*\) \[cel\]/);
  });

  test('an Include of a YAML file: its objects are validated like any other', () => {
    const file = path.join(scratch('include-'), 'monitor.yaml');
    const broken = { ...serviceMonitor({ intervall: '1m' }), metadata: { name: 'order-service', namespace: NS } };
    fs.writeFileSync(file, `${JSON.stringify(serviceMonitor())}\n---\n${JSON.stringify(broken)}\n`);
    let error: any;
    try {
      synth(appWith((chart) => new Include(chart, 'monitor', { url: file })));
    } catch (e) {
      error = e;
    }
    expect(error?.message).toMatch(/manifest error/);
    expect(error).toBeInstanceOf(ManifestCheckError);
    expect((error as ManifestCheckError).findings.map((f) => `${f.object}: ${f.path}`)).toEqual(['ServiceMonitor/shop/order-service: spec.endpoints[0].intervall']);
  });

  test('a cdk8s-plus construct is validated against the Kubernetes schema', () => {
    const result = synth(appWith((chart) => {
      new kplus.ConfigMap(chart, 'settings', { data: { LOG_LEVEL: 'info' } });
      new kplus.ServiceAccount(chart, 'robot');
    }));
    expect(result.objectCount).toBe(3);
    expect(result.findings).toEqual([]);
  });

  test('a cdk8s-plus Deployment gets the default checks\' findings naming each field to set, and passes once they are set', () => {
    const objects = (harden: boolean) => {
      const app = appWith((chart) => {
        const web = new kplus.Deployment(chart, 'web', { replicas: 2 });
        web.addContainer({
          image: 'harbor.example.com/web:v1.0.0',
          portNumber: 8080,
          ...(harden ? { readiness: kplus.Probe.fromHttpGet('/ready'), liveness: kplus.Probe.fromHttpGet('/health') } : {}),
        });
        if (harden) {
          // cdk8s-plus has no props for these two restricted-profile fields: set them through the escape hatch.
          ApiObject.of(web).addJsonPatch(
            JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
            JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
          );
        }
      });
      return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
    };
    const findings = (harden: boolean) => defaultChecks().flatMap((c) => c.check(objects(harden))).map((f) => `${f.check} ${f.path}: ${f.message}`);
    expect(findings(false)).toEqual([
      'policy/pod-security-restricted spec.template.spec.containers[0].securityContext.capabilities.drop: must include "ALL"',
      'policy/pod-security-restricted spec.template.spec.containers[0].securityContext.seccompProfile.type: must be RuntimeDefault or Localhost (here or in the pod securityContext)',
      'policy/resources-and-probes spec.template.spec.containers[0].readinessProbe: a readiness probe is required on every container of a Deployment (it keeps running; traffic and rollouts wait on it)',
      'policy/resources-and-probes spec.template.spec.containers[0].livenessProbe: a liveness probe is required on every container of a Deployment (it keeps running; a hung process must be restarted)',
    ]);
    expect(findings(true)).toEqual([]);
  });

  const HELM = process.env.HELM;
  (HELM || process.env.REQUIRE_HELM ? test : test.skip)('objects rendered by a Helm chart are validated (helm template)', () => {
    if (!HELM) throw new Error('HELM is not set: run `export HELM=$(bash scripts/fetch-helm.sh)`');
    const chartDir = scratch('chart-');
    fs.writeFileSync(path.join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: monitors\nversion: 0.1.0\n');
    fs.mkdirSync(path.join(chartDir, 'templates'));
    fs.writeFileSync(path.join(chartDir, 'templates', 'monitor.yaml'), [
      'apiVersion: monitoring.coreos.com/v1', 'kind: ServiceMonitor', 'metadata:', '  name: {{ .Release.Name }}', 'spec:',
      '  selector: { matchLabels: { app: user-service } }', '  endpoints:', '    - port: http', '      {{ .Values.field }}: 30s', '',
    ].join('\n'));
    execFileSync(HELM, ['version'], { stdio: 'ignore' });
    const helm = (field: string) => appWith((chart) => new Helm(chart, 'monitors', { chart: chartDir, releaseName: 'user-monitor', helmExecutable: HELM, values: { field } }));
    expect(synth(helm('interval')).objectCount).toBe(2);
    expect(() => synth(helm('intervall'))).toThrow(/ServiceMonitor\/shop\/user-monitor: spec\.endpoints\[0\]\.intervall: unknown field "intervall" \[schema\]/);
  });
});
