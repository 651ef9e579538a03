import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

/** The three ways a secret may reach the cluster, named in every refusal. */
export const SECRET_WAYS =
  'no plaintext secret in manifests; use SecretSource.fromExistingSecret(name, keys) for a Secret created outside Git, ' +
  'SecretSource.fromExternalSecret({...}) to sync it from a secret store (External Secrets Operator), ' +
  'or SecretSource.fromSealedSecret({...}) with values encrypted by kubeseal';

const SECRET_LIKE = /(^|[_.-])(PASS(WORD|WD)?|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH[_-]?KEY|DSN)($|[_.-])/i;

/** True when a key's name says it holds a credential (DB_PASSWORD, jwt.secret, API_KEY, ...). */
export function isSecretLikeName(name: string): boolean {
  return SECRET_LIKE.test(name);
}

/**
 * Refuses a literal value under a credential-like name: it would land in Git as plaintext.
 * Empty values pass (a placeholder is not a secret).
 */
export function refusePlaintextSecret(scope: IConstruct, field: string, name: string, value: unknown): void {
  if (isSecretLikeName(name) && value !== undefined && value !== null && value !== '') {
    fail(scope, field, '<redacted>', SECRET_WAYS);
  }
}
