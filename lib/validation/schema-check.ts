import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';
import { SchemaRegistry, SchemaRegistryOptions } from './schema-registry';

/**
 * Every object against the Kubernetes OpenAPI schema (core kinds) or its upstream CRD
 * (custom kinds), unknown fields included, and the CRDs' CEL rules.
 */
export class SchemaCheck implements PortableCheck {
  public readonly name = 'schema';
  public readonly perObject = true;
  private readonly registry: SchemaRegistry;

  /**
   * @param registry the schemas, or where they come from (e.g. `{ schemaLocations: ['crds/'] }`)
   * @default the built-in sources and the project's `cdk8s-microservices.yaml` ({@link SchemaRegistry.default})
   */
  constructor(registry: SchemaRegistry | SchemaRegistryOptions = SchemaRegistry.default()) {
    this.registry = registry instanceof SchemaRegistry ? registry : new SchemaRegistry(registry);
  }

  public get threadFactory(): ThreadFactory {
    return { module: __filename, exportName: 'SchemaCheck', args: [this.registry.options] };
  }

  /** The schemas' checksums: a verdict holds as long as they do. */
  public get verdictKey(): string {
    return this.registry.sourcesKey;
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
      severity: v.severity ?? 'error',
      check: v.check,
    })));
  }
}

