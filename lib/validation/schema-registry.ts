import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import type Ajv from 'ajv';
import type { ErrorObject, KeywordCxt, ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { defaultCacheDir, markCacheFileUsed, packageVersion, writeCacheFile } from '../core/cache-dir';
import { manifestDigest } from '../core/hash';
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
 * file and of the validation code: a warm run loads small modules and never parses the schemas
 * or builds Ajv. Objects found valid are remembered by a hash of their content under the same
 * key, so re-synthesizing a mostly unchanged app validates only what changed.
 */
export class SchemaRegistry {
  private static cached?: SchemaRegistry;

  /** The registry over the package's own schemas, loaded once per process. */
  public static default(): SchemaRegistry {
    return (SchemaRegistry.cached ??= new SchemaRegistry(findSchemasDir()));
  }

  private readonly validators = new Map<string, ValidateFunction | undefined>();
  // Raw bytes: hashing them is all a warm run needs; decoding (15 ms for the definitions) waits for compilation.
  private readonly definitionsData: Buffer;
  private readonly crdData: ReadonlyArray<{ file: string; data: Buffer }>;
  /** Hash of every input of validation: schema files, the validation code and its libraries. */
  private readonly schemasHash: string;
  private readonly celRuntimePath = sibling('cel-runtime');
  private compiler?: { ajv: Ajv; schemas: Map<string, object> };
  private readonly pendingCodeCaches: Array<{ script: vm.Script; file: string }> = [];
  private validObjects?: { readonly file: string; readonly known: Set<string>; added: number };
  private persistOnExit = false;
  private hits = 0;

  /**
   * @param schemasDir directory with `kubernetes-definitions.json` and `crds/*.yaml`
   * @param cacheDir where compiled validators and valid-object hashes are cached; `null` keeps
   *   nothing (compiles in memory every time). @default a per-user directory under the OS temp
   *   directory, or none when `CDK8S_MICROSERVICES_CACHE=off`
   */
  constructor(public readonly schemasDir: string, public readonly cacheDir: string | null = defaultCacheDir()) {
    this.definitionsData = fs.readFileSync(path.join(schemasDir, 'kubernetes-definitions.json'));
    const crdDir = path.join(schemasDir, 'crds');
    this.crdData = fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()
      .map((f) => ({ file: path.join(crdDir, f), data: fs.readFileSync(path.join(crdDir, f)) }));
    const hash = createHash('sha1').update(this.definitionsData).update(validationCodeVersion());
    for (const crd of this.crdData) hash.update('\0').update(crd.data);
    this.schemasHash = hash.digest('hex');
  }

  /** How many validations this registry answered from the valid-object cache. */
  public get cacheHits(): number {
    return this.hits;
  }

  /**
   * Writes what this process learnt to the cache directory: V8 code caches of the validators it
   * loaded and the objects it found valid. Runs at process exit; worker threads, which are
   * terminated rather than exiting, call it when their work is done.
   */
  public persistCaches(): void {
    for (const c of this.pendingCodeCaches.splice(0)) writeCacheFile(c.file, c.script.createCachedData());
    const cache = this.validObjects;
    if (cache && cache.added > 0) {
      // Newest last; the oldest are dropped beyond the limit, so the file stays small.
      const entries = [...cache.known];
      writeCacheFile(cache.file, entries.slice(Math.max(0, entries.length - VALID_OBJECT_CACHE_LIMIT)).join('\n'));
      cache.added = 0;
    }
  }

  /** True when the registry knows `apiVersion`/`kind`. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.validatorFor(`${apiVersion}/${kind}`) !== undefined;
  }

  /** Violations of `manifest` against its kind's schema; unknown kinds are reported as such. */
  public validate(manifest: any): SchemaViolation[] {
    const cache = this.validObjectCache();
    const contentKey = cache && manifest !== null && typeof manifest === 'object' ? manifestDigest(manifest) : undefined;
    if (contentKey && cache!.known.has(contentKey)) {
      this.hits++;
      return [];
    }
    const key = `${manifest?.apiVersion}/${manifest?.kind}`;
    const validator = this.validatorFor(key);
    if (!validator) return [{ path: 'apiVersion', message: `no schema for ${key}: not a built-in kind of this Kubernetes version nor one of the vendored CRDs`, check: 'schema' }];
    if (!validator(manifest)) return simplify(validator.errors ?? []);
    if (contentKey) {
      cache!.known.add(contentKey);
      cache!.added++;
      this.persistAtExit();
    }
    return [];
  }

  /** Content hashes of objects found valid with these schemas and this code, loaded on first use. */
  private validObjectCache(): { readonly known: Set<string>; added: number } | undefined {
    if (!this.cacheDir) return undefined;
    if (!this.validObjects) {
      const file = path.join(this.cacheDir, `valid-objects-${this.schemasHash}.txt`);
      let known: string[] = [];
      try {
        known = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.length === 28);
        markCacheFileUsed(file);
      } catch {
        // nothing cached yet
      }
      this.validObjects = { file, known: new Set(known), added: 0 };
    }
    return this.validObjects;
  }

  private persistAtExit(): void {
    if (this.persistOnExit) return;
    this.persistOnExit = true;
    process.once('exit', () => this.persistCaches());
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
          writeCacheFile(file, standaloneCode(ajv, validator)
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
    markCacheFileUsed(file);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(`${file}.v8`);
      markCacheFileUsed(`${file}.v8`);
    } catch {
      // no code cache yet
    }
    const script = new vm.Script(Module.wrap(code), { filename: file, cachedData });
    const module = { exports: {} as any };
    // This module's require: the validator only requires absolute paths (Ajv's runtime, the CEL runtime).
    script.runInThisContext().call(module.exports, module.exports, require, module, file, path.dirname(file));
    if (cachedData === undefined || script.cachedDataRejected) {
      this.pendingCodeCaches.push({ script, file: `${file}.v8` });
      this.persistAtExit();
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
    const { failedCelRules } = require('./cel-runtime') as typeof import('./cel-runtime');
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
    const definitions: Record<string, any> = JSON.parse(this.definitionsData.toString('utf8')).definitions;
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

    for (const { data } of this.crdData) {
      const text = data.toString('utf8');
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

/** Most object hashes kept in the valid-object cache (~3 MB). */
const VALID_OBJECT_CACHE_LIMIT = 100_000;

/**
 * Identifies the code that turns schemas into verdicts: this module, the CEL evaluation, and the
 * versions of Ajv and the CEL library. A change to any of them invalidates every cache.
 */
function validationCodeVersion(): string {
  const hash = createHash('sha1');
  for (const file of [__filename, sibling('cel-runtime'), sibling('cel'), sibling('crd-text')]) hash.update(fs.readFileSync(file));
  for (const name of ['ajv', '@marcbachmann/cel-js']) hash.update(`${name}@${packageVersion(name)}`);
  return hash.digest('hex');
}

/**
 * The file of module `name` next to this one (`.ts` from source, `.js` compiled), by path rather
 * than `require.resolve`, which would resolve from a bundle's location when bundled (scripts/run.js).
 */
function sibling(name: string): string {
  return path.join(__dirname, `${name}${path.extname(__filename)}`);
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
