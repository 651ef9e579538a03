import { CrossReferenceCheck, CrossReferenceCheckOptions } from './cross-reference-check';
import { ManifestCheck } from './finding';
import { VirtualServiceHostConflictCheck } from './istio/host-conflict-check';
import { PlatformReferenceCheck, PlatformReferenceCheckOptions } from './platform-reference-check';
import { IstioCheck } from './istio/istio-check';
import { MetadataCheck } from './metadata-check';
import { MonitoringReferenceCheck } from './monitoring-reference-check';
import { NoPlaintextSecretCheck } from './no-plaintext-secret-check';
import { AutoscalerSpecCheck, KedaCredentialCheck, PinnedImageCheck, PodSecurityRestrictedCheck, ResourcesAndProbesCheck } from './policy-checks';
import { SchemaCheck } from './schema-check';
import { SchemaRegistry, SchemaRegistryOptions } from './schema-registry';
import { PdbDisruptionCheck, ProbePortCheck, ServiceTargetPortCheck, UnsafeProcMountCheck, UnsafeSysctlsCheck } from './semantic/lint-checks';
import { SemanticCheck } from './semantic/semantic-check';
import { loadValidationConfig } from './validation-config';
import { SecretValueCheck } from './secret-value-check';

/** Options of {@link defaultChecks}. */
export interface DefaultChecksOptions extends CrossReferenceCheckOptions, PlatformReferenceCheckOptions {
  /** Schema registry to validate against. @default one built from {@link schemas}, else {@link SchemaRegistry.default} */
  readonly registry?: SchemaRegistry;
  /**
   * Where schemas come from, in addition to the project's `cdk8s-microservices.yaml`: its schema
   * locations and mirrors come first, these after. @default the project's settings only
   */
  readonly schemas?: SchemaRegistryOptions;
}

/** Every check: schema and CEL, metadata, cross-references, the production policies, the API server's semantic validation and the common linter rules. */
export function defaultChecks(options: DefaultChecksOptions = {}): ManifestCheck[] {
  // What exists outside the output is declared, never assumed: unless given, the project's declarations.
  const project = options.externalNamespaces && options.externalObjects ? undefined : loadValidationConfig();
  const externalNamespaces = options.externalNamespaces ?? [...project!.externalNamespaces];
  const externalObjects = options.externalObjects ?? [...project!.externalObjects];
  // ServiceAccounts declared among the external objects (`ServiceAccount/<ns>/<name>`).
  const externalServiceAccounts = [
    ...(options.externalServiceAccounts ?? []),
    ...externalObjects.filter((o) => o.startsWith('ServiceAccount/')).map((o) => o.slice('ServiceAccount/'.length)),
  ];
  return [
    new SchemaCheck(options.registry ?? (options.schemas ? new SchemaRegistry(withProjectSchemas(options.schemas)) : SchemaRegistry.default())),
    new MetadataCheck(),
    new CrossReferenceCheck({ ...options, externalNamespaces, externalServiceAccounts }),
    new PlatformReferenceCheck({ externalObjects, gatewayNamespaces: options.gatewayNamespaces }),
    new PodSecurityRestrictedCheck(),
    new ResourcesAndProbesCheck(),
    new PinnedImageCheck(),
    new NoPlaintextSecretCheck(),
    new SecretValueCheck(),
    new KedaCredentialCheck(),
    new AutoscalerSpecCheck(),
    new SemanticCheck(),
    new UnsafeSysctlsCheck(),
    new UnsafeProcMountCheck(),
    new ProbePortCheck(),
    new ServiceTargetPortCheck(),
    new PdbDisruptionCheck(),
    new IstioCheck(),
    new MonitoringReferenceCheck(),
    new VirtualServiceHostConflictCheck(),
  ];
}

/** `options` after the project's own schema settings. */
function withProjectSchemas(options: SchemaRegistryOptions): SchemaRegistryOptions {
  const project = loadValidationConfig().schemas;
  return {
    ...project,
    ...options,
    schemaMirrors: [...(project.schemaMirrors ?? []), ...(options.schemaMirrors ?? [])],
    schemaLocations: [...(project.schemaLocations ?? []), ...(options.schemaLocations ?? [])],
  };
}
