import { CrossReferenceCheck, CrossReferenceCheckOptions } from './cross-reference-check';
import { ManifestCheck } from './finding';
import { MetadataCheck } from './metadata-check';
import { NoPlaintextSecretCheck } from './no-plaintext-secret-check';
import { AutoscalerSpecCheck, KedaCredentialCheck, PinnedImageCheck, PodSecurityRestrictedCheck, ResourcesAndProbesCheck } from './policy-checks';
import { SchemaCheck } from './schema-check';
import { SchemaRegistry } from './schema-registry';
import { SecretValueCheck } from './secret-value-check';

/** Options of {@link defaultChecks}. */
export interface DefaultChecksOptions extends CrossReferenceCheckOptions {
  /** Schema registry to validate against. @default the package's vendored schemas */
  readonly registry?: SchemaRegistry;
}

/** Every check: schema and CEL, metadata, cross-references, and the production policies. */
export function defaultChecks(options: DefaultChecksOptions = {}): ManifestCheck[] {
  return [
    new SchemaCheck(options.registry),
    new MetadataCheck(),
    new CrossReferenceCheck(options),
    new PodSecurityRestrictedCheck(),
    new ResourcesAndProbesCheck(),
    new PinnedImageCheck(),
    new NoPlaintextSecretCheck(),
    new SecretValueCheck(),
    new KedaCredentialCheck(),
    new AutoscalerSpecCheck(),
  ];
}
