import { SECRET_WAYS } from '../secrets/plaintext-guard';
import { describeSecrets, findSecrets, findSecretsInArguments, maskSecrets, SecretMatch } from '../secrets/secret-value-rules';
import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';

/**
 * No secret in any string of any object: a password inside `DATABASE_URL`, an AWS key pair, a
 * `--db-password=...` argument, credentials in a KEDA trigger's `serverAddress`, a private key or
 * a JWT in a ConfigMap, a token in an Argo CD source URL. Every string value is scanned with the
 * rules of `lib/secrets/secret-value-rules.ts` (the constructs' plaintext guard uses the same);
 * the finding names the path and the rule, and shows the value with the secret masked.
 */
export class SecretValueCheck implements PortableCheck {
  public readonly name = 'policy/secret-value';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'SecretValueCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const findings: Finding[] = [];
    const path: Array<string | number> = [];
    for (const { file, manifest } of objects) {
      if (manifest === null || typeof manifest !== 'object') continue;
      // The path is a stack of keys, made into text only for a finding: most strings have none.
      const report = (value: string, matches: SecretMatch[]) => findings.push({
        file,
        object: objectRef(manifest),
        path: pathText(path),
        message: `${describeSecrets(matches)} in "${maskSecrets(value, matches)}"; ${SECRET_WAYS}`,
        severity: 'error',
        check: this.name,
      });
      const configMap = manifest.kind === 'ConfigMap' && manifest.apiVersion === 'v1';
      for (const key of Object.keys(manifest)) {
        let value = manifest[key];
        if (skipped(manifest, key)) continue;
        if (manifest.kind === 'SealedSecret' && key === 'spec' && isMapping(value)) {
          const { encryptedData: _ciphertext, ...rest } = value; // ciphertext, safe in Git by design
          value = rest;
        }
        path.push(key);
        if (configMap && key === 'data' && isMapping(value)) {
          // A ConfigMap key names its value (it becomes an environment variable or a file).
          for (const k of Object.keys(value)) {
            const v = value[k];
            if (typeof v !== 'string') continue;
            path.push(k);
            scanString(v, k, report);
            path.pop();
          }
        } else {
          scan(value, undefined, path, report);
        }
        path.pop();
      }
    }
    return findings;
  }
}

type Report = (value: string, matches: SecretMatch[]) => void;

/** `spec.template.spec.containers[0].args[1]` from the stack of keys and indexes. */
function pathText(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, seg) => (typeof seg === 'number' ? `${text}[${seg}]` : text ? `${text}.${seg}` : seg), '');
}

/** Fields not scanned: ciphertext by design, or bytes; a `Secret`'s data is `policy/no-plaintext-secret`'s. */
function skipped(manifest: any, key: string): boolean {
  if (key === 'binaryData') return manifest.kind === 'ConfigMap';
  if (key === 'data' || key === 'stringData') return manifest.kind === 'Secret' && manifest.apiVersion === 'v1';
  return false;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scanString(value: string, name: string | undefined, report: Report): void {
  const matches = findSecrets(value, name);
  if (matches.length > 0) report(value, matches);
}

function scan(value: unknown, name: string | undefined, path: Array<string | number>, report: Report): void {
  if (typeof value === 'string') {
    scanString(value, name, report);
  } else if (Array.isArray(value)) {
    // Strings of a list are arguments as often as not: a flag's value may be the next item.
    const inArguments = value.some((v) => typeof v === 'string') ? findSecretsInArguments(value) : undefined;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const matches = inArguments?.get(i);
      if (matches) report(value[i] as string, matches);
      else if (typeof value[i] !== 'string') scan(value[i], undefined, path, report);
      path.pop();
    }
  } else if (isMapping(value)) {
    // `{name, value}` pairs (container env, Argo CD Helm parameters): the value is given under the name.
    const pairName = typeof value.name === 'string' ? value.name : undefined;
    for (const key of Object.keys(value)) {
      path.push(key);
      scan(value[key], key === 'value' ? pairName : undefined, path, report);
      path.pop();
    }
  }
}
