import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { CelEvaluator } from './cel';
import { pointerToPath } from './finding';

/** A schema violation in one object. */
export interface SchemaViolation {
  /** Readable path of the field. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** `schema` (structure, types, unknown fields) or `cel` (an x-kubernetes-validations rule). */
  readonly check: 'schema' | 'cel';
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The `schemas/` directory shipped with the package (found from source or compiled layout). */
export function findSchemasDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'kubernetes-definitions.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`schemas/kubernetes-definitions.json not found above ${from}`);
  }
}

/**
 * Validators for every kind the cluster would accept: core kinds from the Kubernetes OpenAPI
 * definitions, custom kinds from the vendored CRDs. Unknown fields are errors (as with
 * `kubectl apply`'s strict field validation), and CRD `x-kubernetes-validations` CEL rules are
 * evaluated. Validators are compiled on first use of a kind.
 */
export class SchemaRegistry {
  private static cached?: SchemaRegistry;

  /** The registry over the package's own schemas, loaded once per process. */
  public static default(): SchemaRegistry {
    return (SchemaRegistry.cached ??= new SchemaRegistry(findSchemasDir()));
  }

  private readonly ajv: Ajv;
  private readonly cel = new CelEvaluator();
  /** `apiVersion/kind` → JSON schema reference or CRD schema. */
  private readonly schemas = new Map<string, object>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(schemasDir: string) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const cel = this.cel;
    this.ajv.addKeyword({
      keyword: 'x-kubernetes-validations',
      schemaType: 'array',
      errors: true,
      validate: function celRules(rules: Array<{ rule: string; message?: string; messageExpression?: string }>, data: unknown) {
        const errors: Partial<ErrorObject>[] = [];
        for (const r of rules) {
          if (/\boldSelf\b/.test(r.rule)) continue; // transition rules do not apply on create
          const failure = cel.check(r.rule, data);
          if (failure) {
            errors.push({ keyword: 'x-kubernetes-validations', message: `${r.message ?? `failed rule: ${r.rule}`} (CEL: ${r.rule}; ${failure})`, params: { rule: r.rule } });
          }
        }
        (celRules as any).errors = errors;
        return errors.length === 0;
      },
    });

    const definitions = JSON.parse(fs.readFileSync(path.join(schemasDir, 'kubernetes-definitions.json'), 'utf8')).definitions;
    const converted: Record<string, unknown> = {};
    for (const [name, def] of Object.entries<any>(definitions)) {
      converted[name] = strictSchema(def);
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        if (!def.properties?.metadata) continue;
        this.schemas.set(gvkKey(gvk.group, gvk.version, gvk.kind), { $ref: `k8s#/definitions/${name}` });
      }
    }
    converted['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    converted['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    this.ajv.addSchema({ $id: 'k8s', definitions: converted });

    const crdDir = path.join(schemasDir, 'crds');
    for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()) {
      let docs: any[];
      try {
        docs = yaml.loadAll(fs.readFileSync(path.join(crdDir, file), 'utf8')) as any[];
      } catch {
        continue; // a CRD file our YAML reader cannot parse (see scripts/import-crds.sh)
      }
      for (const crd of docs) {
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions ?? []) {
          if (!version.served || !version.schema?.openAPIV3Schema) continue;
          const root = strictSchema(version.schema.openAPIV3Schema);
          root.properties = { ...root.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: `k8s#/definitions/${OBJECT_META}` } };
          root.additionalProperties = false;
          this.schemas.set(gvkKey(crd.spec.group, version.name, crd.spec.names.kind), root);
        }
      }
    }
  }

  /** True when the registry knows `apiVersion`/`kind`. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.schemas.has(`${apiVersion}/${kind}`);
  }

  /** Violations of `manifest` against its kind's schema; unknown kinds are reported as such. */
  public validate(manifest: any): SchemaViolation[] {
    const key = `${manifest?.apiVersion}/${manifest?.kind}`;
    let validator = this.validators.get(key);
    if (!validator) {
      const schema = this.schemas.get(key);
      if (!schema) return [{ path: 'apiVersion', message: `no schema for ${key}: not a built-in kind of this Kubernetes version nor one of the vendored CRDs`, check: 'schema' }];
      validator = this.ajv.compile(schema);
      this.validators.set(key, validator);
    }
    if (validator(manifest)) return [];
    return simplify(validator.errors ?? []);
  }
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group ? `${group}/` : ''}${version}/${kind}`;
}

/**
 * Copy of an OpenAPI schema where objects with declared properties reject unknown fields, and
 * the Kubernetes extensions are expressed in JSON Schema.
 */
function strictSchema(node: any): any {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, val] of Object.entries(node)) {
    if (k === 'description' || k === 'x-kubernetes-group-version-kind') continue;
    out[k] = k === 'properties'
      ? Object.fromEntries(Object.entries(val as object).map(([p, s]) => [p, strictSchema(s)]))
      : k === 'x-kubernetes-validations' ? val : strictSchema(val);
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** Ajv errors as readable violations; anyOf noise collapsed into its summary. */
function simplify(errors: ErrorObject[]): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let message: string;
    let p = e.instancePath;
    if (e.keyword === 'additionalProperties') {
      const field = (e.params as any).additionalProperty;
      p = `${p}/${field}`;
      message = `unknown field "${field}"`;
    } else if (e.keyword === 'x-kubernetes-validations') {
      message = e.message ?? 'CEL rule failed';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${((e.params as any).allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    } else {
      message = e.message ?? e.keyword;
    }
    const entry: SchemaViolation = { path: pointerToPath(p), message, check: e.keyword === 'x-kubernetes-validations' ? 'cel' : 'schema' };
    const id = `${entry.path}|${entry.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(entry);
    }
  }
  return out;
}
