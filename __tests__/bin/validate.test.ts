import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import * as yaml from 'js-yaml';

const ROOT = path.join(__dirname, '..', '..');
const validate = (...args: string[]) => spawnSync(process.execPath, ['scripts/run.js', 'bin/validate.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run validate', () => {
  test('the committed dist/ passes', () => {
    const r = validate();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+ objects in \d+ files: 0 error\(s\), 0 warning\(s\), 0 exempted/m);
  });

  test('a faulty file is reported with file, object, path and message, and exits non-zero; --json for machines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
    const prod = fs.readFileSync(path.join(ROOT, 'dist', 'prod', '50-user-service.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'bad.yaml'), prod.replace('privileged: false', 'privileged: true\n            bogusField: 1'));
    fs.copyFileSync(path.join(ROOT, 'dist', 'prod', '00-namespace.yaml'), path.join(dir, '00-namespace.yaml'));
    const r = validate(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('bad.yaml: Deployment/ecommerce/user-service: spec.template.spec.containers[0].securityContext.bogusField: unknown field "bogusField" [schema]');
    expect(r.stdout).toContain('spec.template.spec.containers[0].securityContext.privileged: privileged containers are not allowed [policy/pod-security-restricted]');
    const json = JSON.parse(validate(dir, '--json').stdout);
    expect(json.errors).toBeGreaterThanOrEqual(2);
    expect(json.findings[0]).toEqual(expect.objectContaining({ object: 'Deployment/ecommerce/user-service', severity: 'error' }));
  });

  test('a missing path is an error', () => {
    expect(validate('/nonexistent').status).toBe(2);
  });

  describe('kinds without a built-in schema', () => {
    const WIDGET_CRD = path.join(ROOT, '__tests__', 'fixtures', 'crds', 'widgets.example.com.yaml');
    function widgetDir(spec: object): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-widget-'));
      fs.copyFileSync(path.join(ROOT, 'dist', 'prod', '00-namespace.yaml'), path.join(dir, '00-namespace.yaml'));
      fs.writeFileSync(path.join(dir, 'widget.yaml'), yaml.dump({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ecommerce' }, spec }));
      return dir;
    }

    test('without a schema location: an error naming the kind; --ignore-missing-schemas makes it a warning, exit 0', () => {
      const dir = widgetDir({ size: 1 });
      const strict = validate(dir);
      expect(strict.status).toBe(1);
      expect(strict.stdout).toMatch(/widget\.yaml: Widget\/ecommerce\/w: apiVersion: no schema for example\.com\/v1\/Widget: .* \[schema\/missing\]/);
      const lenient = validate(dir, '--ignore-missing-schemas');
      expect(lenient.status).toBe(0);
      expect(lenient.stdout).toMatch(/WARN .*no schema for example\.com\/v1\/Widget/);
      expect(lenient.stdout).toMatch(/0 error\(s\), 1 warning\(s\)/);
    });

    test('--schema-location validates the kind against its CRD, CEL rules included', () => {
      expect(validate(widgetDir({ size: 2, maxSize: 3 }), '--schema-location', WIDGET_CRD).status).toBe(0);
      const broken = validate(widgetDir({ size: 5, maxSize: 3 }), '--schema-location', WIDGET_CRD);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/Widget\/ecommerce\/w: spec: size must not exceed maxSize \(CEL: .*\) \[cel\]/);
    });

    test('a schema location that does not exist stops with its name (exit 2)', () => {
      const r = validate(widgetDir({ size: 1 }), '--schema-location', '/nonexistent/crd.yaml');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('schema location /nonexistent/crd.yaml: no such file or directory');
    });
  });

  describe('exemptions', () => {
    /** prod's user-service with an unpinned image (a real policy finding), annotated as given. */
    function unpinnedDir(annotations: Record<string, string>): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-exempt-'));
      for (const f of fs.readdirSync(path.join(ROOT, 'dist', 'prod'))) fs.copyFileSync(path.join(ROOT, 'dist', 'prod', f), path.join(dir, f));
      const file = path.join(dir, '50-user-service.yaml');
      const docs = yaml.loadAll(fs.readFileSync(file, 'utf8')) as any[];
      const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'user-service');
      deployment.spec.template.spec.containers[0].image = 'harbor.example.com/ecommerce/user-service:latest';
      deployment.metadata.annotations = { ...deployment.metadata.annotations, ...annotations };
      fs.writeFileSync(file, docs.map((d) => yaml.dump(d)).join('---\n'));
      return dir;
    }
    const KEY = 'ignore-check.cdk8s-microservices.io/policy-pinned-images';

    test('without an exemption the finding is an error', () => {
      const r = validate(unpinnedDir({}));
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('is not pinned: use a tag other than "latest" or a digest [policy/pinned-images]');
    });

    test('the annotation exempts the object from that check, with its reason: counted, listed in --json, exit 0', () => {
      const dir = unpinnedDir({ [KEY]: 'digest pinned by the vendor chart' });
      const r = validate(dir);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/0 error\(s\), 0 warning\(s\), 1 exempted/);
      const json = JSON.parse(validate(dir, '--json').stdout);
      expect(json.exempted).toBe(1);
      expect(json.findings).toEqual([expect.objectContaining({
        object: 'Deployment/ecommerce/user-service',
        path: 'spec.template.spec.containers[0].image',
        check: 'policy/pinned-images',
        severity: 'exempted',
        exemption: { reason: 'digest pinned by the vendor chart', severity: 'error' },
      })]);
    });

    test('an exemption of another check does not hide this one; an empty reason is itself an error', () => {
      expect(validate(unpinnedDir({ 'ignore-check.cdk8s-microservices.io/policy-resources-and-probes': 'batch job' })).status).toBe(1);
      const r = validate(unpinnedDir({ [KEY]: ' ' }));
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`Deployment/ecommerce/user-service: metadata.annotations["${KEY}"]: an exemption needs its reason`);
      expect(r.stdout).toContain('[policy/pinned-images]');
    });
  });

});
