import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { CheckSeverity } from './exemptions';
import type { SchemaRegistryOptions } from './schema-registry';

/** The project's validation settings file, read from the working directory. */
export const VALIDATION_CONFIG_FILE = 'cdk8s-microservices.yaml';

/**
 * Project-wide validation settings (`cdk8s-microservices.yaml`), read by synth and `npm run validate`:
 *
 * ```yaml
 * schemaMirrors: [../shared]            # directories holding the pinned upstream schema files (CDK8S_SCHEMA_MIRROR replaces them)
 * schemaLocations: [crds/, https://example.com/crd.yaml#sha256=…]   # CRDs of further kinds
 * ignoreMissingSchemas: false           # a kind with no schema: warning instead of error
 * externalNamespaces: [monitoring]      # namespaces that exist outside this output
 * externalObjects: [ClusterIssuer/letsencrypt-prod, Secret/istio-system/wildcard-tls]   # objects referenced but not in the output
 * checks:                               # severity per check: error | warning | off
 *   policy/pinned-images: warning
 * ```
 * Relative paths are relative to the file.
 */
export interface ValidationConfig {
  /** Where schemas come from (see {@link SchemaRegistryOptions}). */
  readonly schemas: SchemaRegistryOptions;
  /** Severity per check name, overriding what the check reports. */
  readonly severities: Readonly<Record<string, CheckSeverity>>;
  /** Namespaces that exist outside the output. */
  readonly externalNamespaces: readonly string[];
  /** Objects that exist outside the output, `Kind/name` or `Kind/namespace/name` (issuers, secret stores, …). */
  readonly externalObjects: readonly string[];
}

const KEYS = ['schemaMirrors', 'schemaLocations', 'ignoreMissingSchemas', 'externalNamespaces', 'externalObjects', 'checks'];
const OBJECT_REF = /^[A-Z][A-Za-z0-9]*\/([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/;
const SEVERITIES: readonly CheckSeverity[] = ['error', 'warning', 'off'];

/** Thrown for a settings file that is not what {@link ValidationConfig} describes. */
export class ValidationConfigError extends Error {
  constructor(file: string, field: string, value: unknown, allowed: string) {
    super(`${file}: invalid ${field}: ${JSON.stringify(value)}; allowed: ${allowed}`);
    this.name = 'ValidationConfigError';
  }
}

/** The settings of `dir/cdk8s-microservices.yaml`; the defaults (all empty) when there is none. */
export function loadValidationConfig(dir = process.cwd()): ValidationConfig {
  const file = path.join(dir, VALIDATION_CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { schemas: {}, severities: {}, externalNamespaces: [], externalObjects: [] };
  }
  const raw = (yaml.load(text) ?? {}) as any;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationConfigError(file, '(root)', raw, 'a mapping');
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) throw new ValidationConfigError(file, key, raw[key], `one of the keys ${KEYS.join(', ')}`);
  }
  const strings = (key: string): string[] => {
    const value = raw[key] ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) throw new ValidationConfigError(file, key, value, 'a list of non-empty strings');
    return value;
  };
  const relative = (location: string) => (/^https?:\/\//.test(location) ? location : path.resolve(dir, location));
  if (raw.ignoreMissingSchemas !== undefined && typeof raw.ignoreMissingSchemas !== 'boolean') {
    throw new ValidationConfigError(file, 'ignoreMissingSchemas', raw.ignoreMissingSchemas, 'true or false');
  }
  const checks = raw.checks ?? {};
  if (typeof checks !== 'object' || Array.isArray(checks)) throw new ValidationConfigError(file, 'checks', checks, 'a mapping of check name to error, warning or off');
  for (const [name, severity] of Object.entries(checks)) {
    if (!SEVERITIES.includes(severity as CheckSeverity)) throw new ValidationConfigError(file, `checks.${name}`, severity, SEVERITIES.join(', '));
  }
  const externalObjects = strings('externalObjects');
  for (const [i, o] of externalObjects.entries()) {
    if (!OBJECT_REF.test(o)) throw new ValidationConfigError(file, `externalObjects[${i}]`, o, 'Kind/name (cluster-scoped) or Kind/namespace/name, e.g. ClusterIssuer/letsencrypt-prod');
  }
  return {
    schemas: {
      // CDK8S_SCHEMA_MIRROR, when set, replaces the file's mirrors (the resolver reads it).
      schemaMirrors: process.env.CDK8S_SCHEMA_MIRROR ? [] : strings('schemaMirrors').map(relative),
      schemaLocations: strings('schemaLocations').map(relative),
      ...(raw.ignoreMissingSchemas !== undefined ? { ignoreMissingSchemas: raw.ignoreMissingSchemas } : {}),
    },
    severities: checks,
    externalNamespaces: strings('externalNamespaces'),
    externalObjects,
  };
}
