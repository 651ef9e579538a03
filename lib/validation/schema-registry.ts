import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import type Ajv from 'ajv';
import type { ErrorObject, KeywordCxt, ValidateFunction } from 'ajv';
import { defaultCacheDir, markCacheFileUsed, packageVersion, writeCacheFile } from '../core/cache-dir';
import { DigestSetFile } from '../core/digest-set-file';
import { manifestDigest } from '../core/hash';
import { CrdFile, isUrl, parseCrds, resolveSchemaLocations } from '../schemas/schema-locations';
import { BUILTIN_SCHEMA_SOURCES, KUBERNETES_SCHEMA_SOURCE } from '../schemas/schema-sources';
import { SchemaSourceResolver } from '../schemas/source-resolver';
import { pointerToPath } from './finding';
import { re2RegExp } from './re2-pattern';
import { loadValidationConfig } from './validation-config';

/** A schema violation in one object. */
export interface SchemaViolation {
  /** Readable path of the field. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /**
   * `schema` (structure, types, unknown fields), `cel` (an x-kubernetes-validations rule) or
   * `schema/missing` (no schema for the kind anywhere).
   */
  readonly check: 'schema' | 'cel' | 'schema/missing';
  /** Errors unless the registry was told to ignore missing schemas. @default 'error' */
  readonly severity?: 'error' | 'warning';
}

/** Where a {@link SchemaRegistry} finds its schemas. Plain data: another thread builds the same registry from it. */
export interface SchemaRegistryOptions {
  /**
   * Schemas of further kinds: CRD files, directories of CRD files, http(s) URLs (`#sha256=<hex>`
   * pins a URL's content). Their CRDs take precedence over the built-in ones of the same kind, and
   * directories are also searched as mirrors of the pinned sources. @default none
   */
  readonly schemaLocations?: readonly string[];
  /** Mirror directories of the pinned sources (see {@link SchemaSourceResolver}). @default none (and `CDK8S_SCHEMA_MIRROR`) */
  readonly schemaMirrors?: readonly string[];
  /**
   * A kind with no schema anywhere is reported as a warning instead of an error.
   * @default false
   */
  readonly ignoreMissingSchemas?: boolean;
  /**
   * Where compiled validators, hashes of valid objects and resolved schema files are cached;
   * `null` caches nothing. @default a per-user directory (see `defaultCacheDir`)
   */
  readonly cacheDir?: string | null;
  /** Fetch sources from their upstream URLs when no mirror has them. @default true unless `CDK8S_SCHEMA_DOWNLOAD=off` */
  readonly download?: boolean;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const MISSING_SCHEMA_WAYS = 'add its CRD as a schema location (synthesize({ schemaLocations }), schemaLocations in cdk8s-microservices.yaml, '
  + 'or npm run validate -- --schema-location <file|dir|url>), or exempt the object with the annotation '
  + 'ignore-check.cdk8s-microservices.io/schema-missing: "<reason>"';

/** Where a kind's schema is defined. */
type Definition =
  | { readonly type: 'kubernetes' }
  | { readonly type: 'crd'; readonly sha256: string; readonly label: string; readonly read: () => Buffer; readonly versions?: readonly string[] };

/**
 * Validators for every kind the cluster would accept: core kinds from the Kubernetes OpenAPI
 * definitions, custom kinds from the pinned upstream CRDs ({@link BUILTIN_SCHEMA_SOURCES}) and
 * the user's schema locations. Unknown fields are errors (as with `kubectl apply`'s strict field
 * validation), and CRD `x-kubernetes-validations` CEL rules are evaluated.
 *
 * Compiling is what costs (the PodSpec schema alone takes ~0.2 s), so each kind's validator is
 * compiled on first use and cached on disk as standalone code, keyed by the checksums of the
 * files defining it and by the validation code: a warm run loads small modules and neither reads
 * nor parses a schema file. Only the file defining a kind is parsed, when its validator is
 * compiled (Argo CD's ApplicationSet CRD alone is 1.4 MB). Objects found valid are remembered by
 * a hash of their content, keyed by every source's checksum, so re-synthesizing a mostly
 * unchanged app validates only what changed.
 */
export class SchemaRegistry {
  private static cached?: SchemaRegistry;

  /** The registry of the built-in sources plus the project's `cdk8s-microservices.yaml` settings, once per process. */
  public static default(): SchemaRegistry {
    return (SchemaRegistry.cached ??= new SchemaRegistry(loadValidationConfig().schemas));
  }

  /** The options, with the cache directory resolved (how another thread builds the same registry). */
  public readonly options: SchemaRegistryOptions;
  private readonly validators = new Map<string, ValidateFunction | undefined>();
  private readonly codeVersion: string;
  private readonly resolver: SchemaSourceResolver;
  private readonly celRuntimePath = sibling('cel-runtime');
  private userCrds?: CrdFile[];
  private sourcesKeyValue?: string;
  private compiler?: { ajv: Ajv; kubernetes: Map<string, object> };
  private readonly crdSchemas = new Map<string, Map<string, object>>();
  private readonly pendingCodeCaches: Array<{ script: vm.Script; file: string }> = [];
  private validObjects?: DigestSetFile;
  private persistOnExit = false;
  private hits = 0;

  constructor(options: SchemaRegistryOptions = {}) {
    const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
    this.options = { ...options, cacheDir };
    this.codeVersion = validationCodeVersion();
    const locationDirs = (options.schemaLocations ?? []).filter((l) => !isUrl(l) && isDirectory(l));
    this.resolver = new SchemaSourceResolver({ mirrors: [...(options.schemaMirrors ?? []), ...locationDirs], cacheDir, download: options.download });
  }

  /** The cache directory, or `null`. */
  public get cacheDir(): string | null {
    return this.options.cacheDir ?? null;
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
    this.validObjects?.persist();
  }

  /** True when the registry has a schema for `apiVersion`/`kind`. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.validatorFor(apiVersion, kind) !== undefined;
  }

  /** Violations of `manifest` against its kind's schema; a kind without a schema is reported as such. */
  public validate(manifest: any): SchemaViolation[] {
    if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
      return [{ path: '(root)', message: 'not an object', check: 'schema' }];
    }
    const { apiVersion, kind } = manifest;
    if (typeof apiVersion !== 'string' || !apiVersion || typeof kind !== 'string' || !kind) {
      return [{ path: typeof apiVersion !== 'string' || !apiVersion ? 'apiVersion' : 'kind', message: 'required: every object needs apiVersion and kind', check: 'schema' }];
    }
    const cache = this.validObjectCache();
    const contentKey = cache ? manifestDigest(manifest) : undefined;
    if (contentKey && cache!.has(contentKey)) {
      this.hits++;
      return [];
    }
    const validator = this.validatorFor(apiVersion, kind);
    if (!validator) return [this.missing(apiVersion, kind)];
    if (!validator(manifest)) return simplify(validator.errors ?? []);
    if (contentKey) {
      cache!.add(contentKey);
      this.persistAtExit();
    }
    return [];
  }

  private missing(apiVersion: string, kind: string): SchemaViolation {
    const { group } = splitApiVersion(apiVersion);
    const definition = this.definitionOf(group, kind);
    if (definition.type === 'crd') {
      // A known kind at a version its CRD does not serve: a mistake, never an unknown kind.
      const versions = definition.versions ?? [...this.crdSchemasOf(definition).keys()]
        .filter((k) => k.startsWith(`${group}/`) && k.endsWith(`/${kind}`)).map((k) => k.split('/')[1]);
      return { path: 'apiVersion', message: `${kind} is not served at ${apiVersion}: ${path.basename(definition.label)} defines it in versions ${versions.join(', ')}`, check: 'schema' };
    }
    if (KUBERNETES_SCHEMA_SOURCE.groups!.includes(group)) {
      return { path: 'apiVersion', message: `no kind ${kind} in the Kubernetes API ${apiVersion} (a typo in apiVersion or kind?)`, check: 'schema' };
    }
    return {
      path: 'apiVersion',
      message: `no schema for ${apiVersion}/${kind}: not a kind of the Kubernetes API nor of a built-in or given CRD; ${MISSING_SCHEMA_WAYS}`,
      check: 'schema/missing',
      severity: this.options.ignoreMissingSchemas ? 'warning' : 'error',
    };
  }

  /** The CRD files of the user's schema locations, resolved on first use. */
  private userCrdFiles(): CrdFile[] {
    return (this.userCrds ??= resolveSchemaLocations(this.options.schemaLocations ?? [], { cacheDir: this.cacheDir, download: this.options.download }));
  }

  /** Which file defines `group`/`kind`: a schema location first, then a built-in CRD, else the Kubernetes API. */
  private definitionOf(group: string, kind: string): Definition {
    for (const crd of this.userCrdFiles()) {
      const found = crd.kinds.find((k) => k.group === group && k.kind === kind);
      if (found) return { type: 'crd', sha256: crd.sha256, label: crd.file, read: () => fs.readFileSync(crd.file), versions: found.versions };
    }
    const builtin = BUILTIN_SCHEMA_SOURCES.find((s) => s.group === group && s.kinds?.includes(kind));
    if (builtin) {
      return { type: 'crd', sha256: builtin.sha256, label: builtin.fileName, read: () => this.resolver.read(builtin) };
    }
    return { type: 'kubernetes' };
  }

  /** A hash of the validation code and of every schema source (built-in pins, schema locations' content). */
  public get sourcesKey(): string {
    if (!this.sourcesKeyValue) {
      const key = createHash('sha1').update(this.codeVersion);
      for (const source of BUILTIN_SCHEMA_SOURCES) key.update(`\0${source.sha256}`);
      for (const crd of this.userCrdFiles()) key.update(`\0${crd.sha256}`);
      this.sourcesKeyValue = key.digest('hex');
    }
    return this.sourcesKeyValue;
  }

  /** Content hashes of objects found valid with these schemas and this code, loaded on first use. */
  private validObjectCache(): DigestSetFile | undefined {
    if (!this.cacheDir) return undefined;
    this.validObjects ??= new DigestSetFile(path.join(this.cacheDir, `valid-objects-${this.sourcesKey}.txt`));
    return this.validObjects;
  }

  private persistAtExit(): void {
    if (this.persistOnExit) return;
    this.persistOnExit = true;
    process.once('exit', () => this.persistCaches());
  }

  private validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion}/${kind}`;
    if (this.validators.has(key)) return this.validators.get(key);
    const { group, version } = splitApiVersion(apiVersion);
    const definition = this.definitionOf(group, kind);
    const definedBy = definition.type === 'crd' ? definition.sha256 : 'kubernetes';
    const id = createHash('sha1').update(`${this.codeVersion}\0${KUBERNETES_SCHEMA_SOURCE.sha256}\0${definedBy}\0${key}`).digest('hex');
    const file = this.cacheDir && path.join(this.cacheDir, `validator-${id}.js`);
    let validator: ValidateFunction | undefined;
    if (file) {
      if (fs.existsSync(`${file}.none`)) {
        this.validators.set(key, undefined);
        return undefined;
      }
      try {
        validator = this.loadCompiled(file);
      } catch {
        // not cached yet
      }
    }
    if (!validator) {
      const { ajv, kubernetes } = this.loadCompiler();
      const schema = definition.type === 'crd' ? this.crdSchemasOf(definition).get(gvkKey(group, version, kind)) : kubernetes.get(key);
      if (schema) {
        validator = ajv.compile(schema);
        // The module lives outside node_modules' reach: pin Ajv's runtime helpers by absolute path.
        if (file) {
          const standaloneCode: typeof import('ajv/dist/standalone').default = require('ajv/dist/standalone').default;
          writeCacheFile(file, standaloneCode(ajv, validator)
            .replace(/require\("(ajv\/dist\/[^"]+)"\)/g, (_m, id2: string) => `require(${JSON.stringify(require.resolve(id2))})`));
        }
      } else if (file) {
        // Known to have no schema: later runs need not parse the definitions to learn it again.
        writeCacheFile(`${file}.none`, '');
      }
    }
    this.validators.set(key, validator);
    return validator;
  }

  /** Schemas of every served version of the kinds in a CRD file, by `group/version/kind`. */
  private crdSchemasOf(definition: Extract<Definition, { type: 'crd' }>): Map<string, object> {
    let schemas = this.crdSchemas.get(definition.sha256);
    if (schemas) return schemas;
    schemas = new Map();
    for (const crd of parseCrds(definition.read().toString('utf8'))) {
      for (const version of crd.spec?.versions ?? []) {
        if (!version.served || !version.schema?.openAPIV3Schema) continue;
        const root = strictSchema(version.schema.openAPIV3Schema);
        root.properties = { ...root.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: `k8s#/definitions/${OBJECT_META}` } };
        root.additionalProperties = false;
        schemas.set(gvkKey(crd.spec.group, version.name, crd.spec.names.kind), root);
      }
    }
    this.crdSchemas.set(definition.sha256, schemas);
    return schemas;
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

  /** Sets up Ajv with the Kubernetes definitions: only when some validator is not cached yet. */
  private loadCompiler(): { ajv: Ajv; kubernetes: Map<string, object> } {
    if (this.compiler) return this.compiler;
    // Loaded here, not at the top: a warm run never needs the compiler.
    const { default: AjvClass, _, str, stringify } = require('ajv') as typeof import('ajv');
    const ajv = new AjvClass({ strict: false, allErrors: true, validateFormats: false, code: { source: true, regExp: re2RegExp } });
    // Generated as code that requires the CEL runtime by path, so that validators of CRDs with
    // CEL rules can be cached as standalone modules like the others.
    const runtime = this.celRuntimePath;
    const { celDefaultsOf, failedCelRules } = require('./cel-runtime') as typeof import('./cel-runtime');
    ajv.addKeyword({
      keyword: 'x-kubernetes-validations',
      schemaType: 'array',
      error: {
        message: ({ params }) => str`${params.message}`,
        params: ({ params }) => _`{rule: ${params.rule}}`,
      },
      code: (cxt: KeywordCxt) => {
        const { gen, data, schema, parentSchema } = cxt;
        const check = gen.scopeValue('func', { ref: failedCelRules, code: _`require(${runtime}).failedCelRules` });
        const rules = gen.scopeValue('obj', { ref: schema, code: stringify(schema) });
        // The API server applies defaults before evaluating rules: so does the runtime, on a copy.
        const defaultsOf = celDefaultsOf(parentSchema);
        const defaults = defaultsOf ? gen.scopeValue('obj', { ref: defaultsOf, code: stringify(defaultsOf) }) : _`undefined`;
        const failed = gen.const('celFailed', _`${check}(${rules}, ${data}, ${defaults})`);
        gen.forOf('celFailure', failed, (failure) => {
          cxt.error(false, { message: _`${failure}.message`, rule: _`${failure}.rule` });
        });
      },
    });

    const kubernetes = new Map<string, object>();
    const definitions: Record<string, any> = JSON.parse(this.resolver.read(KUBERNETES_SCHEMA_SOURCE).toString('utf8')).definitions;
    const converted: Record<string, unknown> = {};
    for (const [name, def] of Object.entries<any>(definitions)) {
      converted[name] = strictSchema(def);
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        if (def.properties?.metadata) kubernetes.set(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`, { $ref: `k8s#/definitions/${name}` });
      }
    }
    converted['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    converted['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    ajv.addSchema({ $id: 'k8s', definitions: converted });
    return (this.compiler = { ajv, kubernetes });
  }
}

/** `group` and `version` of an apiVersion (`apps/v1` → apps, v1; `v1` → core). */
function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function isDirectory(location: string): boolean {
  try {
    return fs.statSync(location).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Identifies the code that turns schemas into verdicts: this module, the CEL evaluation, and the
 * versions of Ajv and the CEL library. A change to any of them invalidates every cache.
 */
function validationCodeVersion(): string {
  const hash = createHash('sha1');
  for (const file of [__filename, sibling('cel-runtime'), sibling('cel'), sibling('crd-text'), sibling('re2-pattern')]) hash.update(fs.readFileSync(file));
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
