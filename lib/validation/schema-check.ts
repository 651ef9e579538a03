import { Finding, ManifestCheck, ManifestObject, objectRef } from './finding';
import { SchemaRegistry } from './schema-registry';

/**
 * Every object against the Kubernetes OpenAPI schema (core kinds) or its upstream CRD
 * (custom kinds), unknown fields included, and the CRDs' CEL rules.
 */
export class SchemaCheck implements ManifestCheck {
  public readonly name = 'schema';

  constructor(private readonly registry: SchemaRegistry = SchemaRegistry.default()) {}

  public check(objects: readonly ManifestObject[]): Finding[] {
    return objects.flatMap(({ file, manifest }) => this.registry.validate(manifest).map((v) => ({
      file,
      object: objectRef(manifest),
      path: v.path,
      message: v.message,
      severity: 'error' as const,
      check: v.check,
    })));
  }
}
