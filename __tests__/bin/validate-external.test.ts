import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const validate = (...args: string[]) => spawnSync(process.execPath, ['scripts/run.js', 'bin/validate.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

test('npm run validate: a store neither in the files nor declared is an error; --external-object declares it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-external-'));
  // prod's user-service without the environment's SecretStore file: its ExternalSecret names a store nothing defines.
  fs.copyFileSync(path.join(ROOT, 'dist', 'prod', '00-namespace.yaml'), path.join(dir, '00-namespace.yaml'));
  fs.copyFileSync(path.join(ROOT, 'dist', 'prod', '50-user-service.yaml'), path.join(dir, '50-user-service.yaml'));
  const missing = validate(dir);
  expect(missing.status).toBe(1);
  expect(missing.stdout).toContain('50-user-service.yaml: ExternalSecret/ecommerce/user-service-secrets: spec.secretStoreRef.name: SecretStore "vault-prod" in "ecommerce" is neither in this output nor declared external (externalObjects: SecretStore/ecommerce/vault-prod) [platform-reference]');
  const declared = validate(dir, '--external-object', 'SecretStore/ecommerce/vault-prod', '--json');
  expect(JSON.parse(declared.stdout).findings.filter((f: any) => f.check === 'platform-reference')).toEqual([]);
});
