import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';
import { SchemaRegistry } from './schema-registry';

/** Where a {@link SchemaRegistry}'s schemas and cache are (how another thread builds the same registry). */
export interface SchemaLocation {
  /** Directory with `kubernetes-definitions.json` and `crds/`. */
  readonly schemasDir: string;
  /** Cache directory; `null` for none. */
  readonly cacheDir: string | null;
}

/**
 * Every object against the Kubernetes OpenAPI schema (core kinds) or its upstream CRD
 * (custom kinds), unknown fields included, and the CRDs' CEL rules.
 */
export class SchemaCheck implements PortableCheck {
  public readonly name = 'schema';
  public readonly perObject = true;
  private readonly registry: SchemaRegistry;

  /** @param registry the schemas, or where they and the validator cache are @default the package's vendored schemas */
  constructor(registry: SchemaRegistry | SchemaLocation = SchemaRegistry.default()) {
    this.registry = registry instanceof SchemaRegistry ? registry : new SchemaRegistry(registry.schemasDir, registry.cacheDir);
  }

  public get threadFactory(): ThreadFactory {
    const location: SchemaLocation = { schemasDir: this.registry.schemasDir, cacheDir: this.registry.cacheDir };
    return { module: __filename, exportName: 'SchemaCheck', args: [location] };
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

