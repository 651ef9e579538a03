import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import type Ajv from 'ajv';
import type { ErrorObject, KeywordCxt, ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { failedCelRules } from './cel-runtime';
import { repairQuotedContinuations } from './crd-text';
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
 * evaluated.
 *
 * Compiling is what costs (the PodSpec schema alone takes ~0.2 s), so each kind's validator is
 * compiled on first use and cached on disk as standalone code, keyed by a hash of every schema
 * file: a warm run loads small modules and never parses the schemas or builds Ajv.
 */
export class SchemaRegistry {
  private static cached?: SchemaRegistry;

  /** The registry over the package's own schemas, loaded once per process. */
  public static default(): SchemaRegistry {
    return (SchemaRegistry.cached ??= new SchemaRegistry(findSchemasDir()));
  }

  private readonly validators = new Map<string, ValidateFunction | undefined>();
  private readonly definitionsText: string;
  private readonly crdTexts: ReadonlyArray<{ file: string; text: string }>;
  /** Hash of every input of compilation: schema files, CEL runtime location. */
  private readonly schemasHash: string;
  private readonly celRuntimePath = require.resolve('./cel-runtime');
  private compiler?: { ajv: Ajv; schemas: Map<string, object> };
  private readonly pendingCodeCaches: Array<{ script: vm.Script; file: string }> = [];

  /**
   * @param schemasDir directory with `kubernetes-definitions.json` and `crds/*.yaml`
   * @param cacheDir where compiled validators are cached; `undefined` compiles in memory every time
   */
  constructor(public readonly schemasDir: string, public readonly cacheDir: string | undefined = defaultCacheDir()) {
    this.definitionsText = fs.readFileSync(path.join(schemasDir, 'kubernetes-definitions.json'), 'utf8');
    const crdDir = path.join(schemasDir, 'crds');
    this.crdTexts = fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()
      .map((f) => ({ file: path.join(crdDir, f), text: fs.readFileSync(path.join(crdDir, f), 'utf8') }));
    const hash = createHash('sha1').update(this.definitionsText).update(this.celRuntimePath);
    for (const crd of this.crdTexts) hash.update('\0').update(crd.text);
    this.schemasHash = hash.digest('hex');
  }

  /** True when the registry knows `apiVersion`/`kind`. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.validatorFor(`${apiVersion}/${kind}`) !== undefined;
  }

  /** Violations of `manifest` against its kind's schema; unknown kinds are reported as such. */
  public validate(manifest: any): SchemaViolation[] {
    const key = `${manifest?.apiVersion}/${manifest?.kind}`;
    const validator = this.validatorFor(key);
    if (!validator) return [{ path: 'apiVersion', message: `no schema for ${key}: not a built-in kind of this Kubernetes version nor one of the vendored CRDs`, check: 'schema' }];
    if (validator(manifest)) return [];
    return simplify(validator.errors ?? []);
  }

  private validatorFor(key: string): ValidateFunction | undefined {
    if (this.validators.has(key)) return this.validators.get(key);
    const file = this.cacheDir && path.join(this.cacheDir, `validator-${createHash('sha1').update(`${this.schemasHash}\0${key}`).digest('hex')}.js`);
    let validator: ValidateFunction | undefined;
    if (file) {
      try {
        validator = this.loadCompiled(file);
      } catch {
        // not cached yet
      }
    }
    if (!validator) {
      const { ajv, schemas } = this.loadCompiler();
      const schema = schemas.get(key);
      if (schema) {
        validator = ajv.compile(schema);
        // The module lives outside node_modules' reach: pin Ajv's runtime helpers by absolute path.
        if (file) {
          const standaloneCode: typeof import('ajv/dist/standalone').default = require('ajv/dist/standalone').default;
          writeAtomically(file, standaloneCode(ajv, validator)
            .replace(/require\("(ajv\/dist\/[^"]+)"\)/g, (_m, id: string) => `require(${JSON.stringify(require.resolve(id))})`));
        }
      }
    }
    this.validators.set(key, validator);
    return validator;
  }

  /**
   * Loads a cached validator module with a V8 code cache next to it. Compiling the validators'
   * large functions on first use costs more than validating (70 ms of 80 for the default app);
   * the code cache, written at exit after the functions ran, skips that on later runs.
   */
  private loadCompiled(file: string): ValidateFunction {
    const code = fs.readFileSync(file, 'utf8');
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(`${file}.v8`);
    } catch {
      // no code cache yet
    }
    const script = new vm.Script(Module.wrap(code), { filename: file, cachedData });
    const module = { exports: {} as any };
    // This module's require: the validator only requires absolute paths (Ajv's runtime, the CEL runtime).
    script.runInThisContext().call(module.exports, module.exports, require, module, file, path.dirname(file));
    if (cachedData === undefined || script.cachedDataRejected) {
      if (this.pendingCodeCaches.length === 0) process.once('exit', () => this.pendingCodeCaches.forEach((c) => writeAtomically(c.file, c.script.createCachedData())));
      this.pendingCodeCaches.push({ script, file: `${file}.v8` });
    }
    return module.exports;
  }

  /** Parses the schemas and sets up Ajv: only when some validator is not cached yet. */
  private loadCompiler(): { ajv: Ajv; schemas: Map<string, object> } {
    if (this.compiler) return this.compiler;
    // Loaded here, not at the top: a warm run never needs the compiler.
    const { default: AjvClass, _, str, stringify } = require('ajv') as typeof import('ajv');
    const ajv = new AjvClass({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
    // Generated as code that requires the CEL runtime by path, so that validators of CRDs with
    // CEL rules can be cached as standalone modules like the others.
    const runtime = this.celRuntimePath;
    ajv.addKeyword({
      keyword: 'x-kubernetes-validations',
      schemaType: 'array',
      error: {
        message: ({ params }) => str`${params.message}`,
        params: ({ params }) => _`{rule: ${params.rule}}`,
      },
      code: (cxt: KeywordCxt) => {
        const { gen, data, schema } = cxt;
        const check = gen.scopeValue('func', { ref: failedCelRules, code: _`require(${runtime}).failedCelRules` });
        const rules = gen.scopeValue('obj', { ref: schema, code: stringify(schema) });
        const failed = gen.const('celFailed', _`${check}(${rules}, ${data})`);
        gen.forOf('celFailure', failed, (failure) => {
          cxt.error(false, { message: _`${failure}.message`, rule: _`${failure}.rule` });
        });
      },
    });

    const schemas = new Map<string, object>();
    const definitions: Record<string, any> = JSON.parse(this.definitionsText).definitions;
    const converted: Record<string, unknown> = {};
    for (const [name, def] of Object.entries<any>(definitions)) {
      converted[name] = strictSchema(def);
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        if (def.properties?.metadata) schemas.set(gvkKey(gvk.group, gvk.version, gvk.kind), { $ref: `k8s#/definitions/${name}` });
      }
    }
    converted['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    converted['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    ajv.addSchema({ $id: 'k8s', definitions: converted });

    for (const { text } of this.crdTexts) {
      let docs: any[];
      try {
        docs = yaml.loadAll(repairQuotedContinuations(text)) as any[];
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
          schemas.set(gvkKey(crd.spec.group, version.name, crd.spec.names.kind), root);
        }
      }
    }
    return (this.compiler = { ajv, schemas });
  }
}

/** Where compiled validators are cached; `CDK8S_MICROSERVICES_CACHE=off` disables it. */
function defaultCacheDir(): string | undefined {
  const setting = process.env.CDK8S_MICROSERVICES_CACHE;
  if (setting === 'off') return undefined;
  return setting ?? path.join(os.tmpdir(), `cdk8s-microservices-cache-${os.userInfo().uid}`);
}

function writeAtomically(file: string, content: string | Buffer): void {
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
