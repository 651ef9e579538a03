import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
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
  /** Kinds whose schemas have no CEL rules: their compiled validators can be cached as code. */
  private readonly cacheable = new Set<string>();
  private readonly definitionsHash: string;
  private readonly definitions: Record<string, any>;
  private definitionsAdded = false;

  constructor(schemasDir: string, private readonly cacheDir: string | undefined = defaultCacheDir()) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
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

    const definitionsText = fs.readFileSync(path.join(schemasDir, 'kubernetes-definitions.json'), 'utf8');
    this.definitionsHash = createHash('sha1').update(definitionsText).digest('hex');
    this.definitions = JSON.parse(definitionsText).definitions;
    for (const [name, def] of Object.entries<any>(this.definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        if (!def.properties?.metadata) continue;
        const key = gvkKey(gvk.group, gvk.version, gvk.kind);
        this.schemas.set(key, { $ref: `k8s#/definitions/${name}` });
        this.cacheable.add(key);
      }
    }

    const crdDir = path.join(schemasDir, 'crds');
    for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()) {
      const docs = this.loadYamlCached(path.join(crdDir, file));
      if (!docs) continue; // a CRD file our YAML reader cannot parse (see scripts/import-crds.sh)
      for (const crd of docs) {
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions ?? []) {
          if (!version.served || !version.schema?.openAPIV3Schema) continue;
          const key = gvkKey(crd.spec.group, version.name, crd.spec.names.kind);
          this.schemas.set(key, { crd: version.schema.openAPIV3Schema });
          // CEL rules run through a JavaScript callback, which standalone code cannot embed.
          if (!JSON.stringify(version.schema.openAPIV3Schema).includes('x-kubernetes-validations')) this.cacheable.add(key);
        }
      }
    }
  }

  /**
   * The Kubernetes definitions, made strict, added to Ajv on first need: a run whose core
   * validators all come from the cache never pays for converting them.
   */
  private ensureDefinitions(): void {
    if (this.definitionsAdded) return;
    const converted: Record<string, unknown> = {};
    for (const [name, def] of Object.entries<any>(this.definitions)) converted[name] = strictSchema(def);
    converted['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    converted['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    this.ajv.addSchema({ $id: 'k8s', definitions: converted });
    this.definitionsAdded = true;
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
      validator = this.compile(key, schema);
      this.validators.set(key, validator);
    }
    if (validator(manifest)) return [];
    return simplify(validator.errors ?? []);
  }

  /**
   * Compiles a validator. Core kinds (no CEL) are cached on disk as standalone code keyed by the
   * definitions' hash: compiling the PodSpec schema alone takes ~0.2 s, loading it ~5 ms.
   */
  private compile(key: string, schema: any): ValidateFunction {
    const ajvCompile = () => {
      this.ensureDefinitions();
      if (!schema.crd) return this.ajv.compile(schema);
      const root = strictSchema(schema.crd);
      root.properties = { ...root.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: `k8s#/definitions/${OBJECT_META}` } };
      root.additionalProperties = false;
      return this.ajv.compile(root);
    };
    if (!this.cacheDir || !this.cacheable.has(key)) return ajvCompile();
    const file = path.join(this.cacheDir, `validator-${createHash('sha1').update(`${this.definitionsHash}\0${key}\0${JSON.stringify(schema)}`).digest('hex')}.js`);
    try {
      return require(file);
    } catch {
      const validator = ajvCompile();
      writeAtomically(file, standaloneCode(this.ajv, validator));
      return validator;
    }
  }

  /** YAML documents of a file, via a JSON cache keyed by content (JSON parses ~20x faster). */
  private loadYamlCached(file: string): any[] | undefined {
    const text = fs.readFileSync(file, 'utf8');
    const cached = this.cacheDir && path.join(this.cacheDir, `yaml-${createHash('sha1').update(text).digest('hex')}.json`);
    if (cached) {
      try {
        return JSON.parse(fs.readFileSync(cached, 'utf8'));
      } catch {
        // not cached yet
      }
    }
    let docs: any[];
    try {
      docs = yaml.loadAll(text) as any[];
    } catch {
      return undefined;
    }
    if (cached) writeAtomically(cached, JSON.stringify(docs));
    return docs;
  }
}

/** Where compiled validators and parsed CRDs are cached; `CDK8S_MICROSERVICES_CACHE=off` disables it. */
function defaultCacheDir(): string | undefined {
  const setting = process.env.CDK8S_MICROSERVICES_CACHE;
  if (setting === 'off') return undefined;
  return setting ?? path.join(os.tmpdir(), `cdk8s-microservices-cache-${os.userInfo().uid}`);
}

function writeAtomically(file: string, content: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.${process.pid}`, content);
    fs.renameSync(`${file}.${process.pid}`, file);
  } catch {
    // caching is an optimization only
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
