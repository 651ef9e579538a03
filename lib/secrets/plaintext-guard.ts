import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { describeSecrets, findSecrets, isSecretLikeName, SecretMatch } from './secret-value-rules';

export { isSecretLikeName } from './secret-value-rules';

/** The three ways a secret may reach the cluster, named in every refusal. */
export const SECRET_WAYS =
  'no plaintext secret in manifests; use SecretSource.fromExistingSecret(name, keys) for a Secret created outside Git, ' +
  'SecretSource.fromExternalSecret({...}) to sync it from a secret store (External Secrets Operator), ' +
  'or SecretSource.fromSealedSecret({...}) with values encrypted by kubeseal';

/**
 * Refuses a literal value that would land in Git as plaintext: any value under a credential-like
 * name (empty values pass: a placeholder is not a secret), and any value that is recognizably a
 * secret whatever its name — a password in a URL, a token, a private key, a `--password=` flag
 * (the rules of `policy/secret-value`). The value is never shown.
 */
export function refusePlaintextSecret(scope: IConstruct, field: string, name: string, value: unknown): void {
  if (isSecretLikeName(name) && value !== undefined && value !== null && value !== '') {
    fail(scope, field, '<redacted>', SECRET_WAYS);
  }
  const found = secretsIn(value);
  if (found.length > 0) fail(scope, field, '<redacted>', `a value without ${describeSecrets(found)}; ${SECRET_WAYS}`);
}

/** The secrets in `value` and in the strings nested in it (a config value may be a list or a mapping). */
function secretsIn(value: unknown): SecretMatch[] {
  if (typeof value === 'string') return findSecrets(value);
  if (Array.isArray(value)) return value.flatMap(secretsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(secretsIn);
  return [];
}
