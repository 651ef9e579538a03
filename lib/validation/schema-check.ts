import { Finding, ManifestObject, objectRef, PerObjectCheck, ThreadFactory } from './finding';
import { SchemaRegistry } from './schema-registry';

/**
 * Every object against the Kubernetes OpenAPI schema (core kinds) or its upstream CRD
 * (custom kinds), unknown fields included, and the CRDs' CEL rules.
 */
export class SchemaCheck implements PerObjectCheck {
  public readonly name = 'schema';

  constructor(private readonly registry: SchemaRegistry = SchemaRegistry.default()) {}

  public get threadFactory(): ThreadFactory {
    return { module: __filename, exportName: 'schemaCheckFor', args: [this.registry.schemasDir, this.registry.cacheDir] };
  }

  public close(): void {
    this.registry.persistCaches();
  }

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

/** A {@link SchemaCheck} over `schemasDir` (how a worker thread rebuilds one). */
export function schemaCheckFor(schemasDir: string, cacheDir: string | null): SchemaCheck {
  return new SchemaCheck(new SchemaRegistry(schemasDir, cacheDir));
}
