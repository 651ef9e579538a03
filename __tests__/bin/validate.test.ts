import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const validate = (...args: string[]) => spawnSync(process.execPath, ['scripts/run.js', 'bin/validate.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run validate', () => {
  test('the committed dist/ passes', () => {
    const r = validate();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+ objects in \d+ files: 0 error\(s\), 0 warning\(s\)/m);
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

});
