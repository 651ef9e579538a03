import { SECRET_WAYS } from '../secrets/plaintext-guard';
import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';

/** No `Secret` with `data` or `stringData` may be written: it would be plaintext (base64) in Git. */
export class NoPlaintextSecretCheck implements PortableCheck {
  public readonly name = 'policy/no-plaintext-secret';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'NoPlaintextSecretCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return objects
      .filter(({ manifest }) => manifest?.kind === 'Secret' && manifest?.apiVersion === 'v1')
      .flatMap(({ file, manifest }) => ['data', 'stringData']
        .filter((field) => manifest[field] && Object.keys(manifest[field]).length > 0)
        .map((field) => ({
          file,
          object: objectRef(manifest),
          path: field,
          message: `a Secret with ${field} would put secret values in Git; ${SECRET_WAYS}`,
          severity: 'error' as const,
          check: this.name,
        })));
  }
}
