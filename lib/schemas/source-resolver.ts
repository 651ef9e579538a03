import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markCacheFileUsed, writeCacheFile } from '../core/cache-dir';
import { SchemaSource } from './schema-sources';

/** A pinned schema source could not be had with its pinned checksum; nothing was written. */
export class SchemaSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaSourceError';
  }
}

/** Options of {@link SchemaSourceResolver}. */
export interface SchemaSourceResolverOptions {
  /**
   * Local mirror directories, searched in order for a source's file name at their top level and
   * under `crds/` and `schemas/`. `CDK8S_SCHEMA_MIRROR` (a path list) is searched after them.
   * @default none
   */
  readonly mirrors?: readonly string[];
  /** Where resolved files are kept; `null` keeps none (resolved again each time). @default none */
  readonly cacheDir?: string | null;
  /**
   * Fetch a source from its upstream URL when no mirror has it. `CDK8S_SCHEMA_DOWNLOAD=off` turns
   * it off (offline work, CI without network). @default true unless that variable says off
   */
  readonly download?: boolean;
}

const MIRROR_SUBDIRS = ['', 'crds', 'schemas'];
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** SHA-256 of `data`, hex. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Mirror directories from `CDK8S_SCHEMA_MIRROR` (`:`-separated). */
export function mirrorsFromEnvironment(): string[] {
  return (process.env.CDK8S_SCHEMA_MIRROR ?? '').split(path.delimiter).filter((d) => d.length > 0);
}

/**
 * Finds each pinned {@link SchemaSource} — in the cache directory, else in a mirror directory,
 * else at its upstream URL — and verifies its SHA-256 wherever it comes from. A file found outside
 * the cache is copied into it, so later runs read neither mirror nor network.
 */
export class SchemaSourceResolver {
  private readonly mirrors: readonly string[];
  private readonly cacheDir: string | null;
  private readonly download: boolean;
  private readonly resolved = new Map<string, Buffer>();

  constructor(options: SchemaSourceResolverOptions = {}) {
    this.mirrors = [...new Set([...(options.mirrors ?? []), ...mirrorsFromEnvironment()].map((d) => path.resolve(d)))];
    this.cacheDir = options.cacheDir ?? null;
    this.download = options.download ?? process.env.CDK8S_SCHEMA_DOWNLOAD !== 'off';
  }

  /** The verified bytes of `source`; throws {@link SchemaSourceError} saying where it looked and how to provide it. */
  public read(source: SchemaSource): Buffer {
    const known = this.resolved.get(source.sha256);
    if (known) return known;
    const tried: string[] = [];
    const cached = this.cacheDir ? path.join(this.cacheDir, 'sources', `${source.sha256}-${source.fileName}`) : undefined;
    let data = cached ? this.tryFile(source, cached, tried, 'cache') : undefined;
    if (data) {
      markCacheFileUsed(cached!);
    } else {
      for (const mirror of this.mirrors) {
        for (const sub of MIRROR_SUBDIRS) {
          data ??= this.tryFile(source, path.join(mirror, sub, source.fileName), tried, 'mirror', sub === '' || fs.existsSync(path.join(mirror, sub)));
        }
      }
      if (this.mirrors.length === 0) tried.push('no mirror directory given (--schema-location <dir>, CDK8S_SCHEMA_MIRROR or schemaMirrors in cdk8s-microservices.yaml)');
      if (!data) data = this.fetch(source, tried);
      if (data && cached) writeCacheFile(cached, data);
    }
    if (!data) {
      throw new SchemaSourceError(`schema source ${source.fileName} (${source.name} ${source.version}, sha256 ${source.sha256}) is not available:\n`
        + tried.map((t) => `  - ${t}`).join('\n')
        + `\n  Provide it: put ${source.fileName} into a mirror directory (CDK8S_SCHEMA_MIRROR=<dir>, --schema-location <dir>, or schemaMirrors in`
        + ` cdk8s-microservices.yaml), or allow HTTPS access to ${source.url}. Nothing was written.`);
    }
    this.resolved.set(source.sha256, data);
    return data;
  }

  private tryFile(source: SchemaSource, file: string, tried: string[], where: string, report = true): Buffer | undefined {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      if (where !== 'cache' && report) tried.push(`${where} ${file}: not found`);
      return undefined;
    }
    const actual = sha256(data);
    if (actual !== source.sha256) {
      tried.push(`${where} ${file}: checksum mismatch (sha256 ${actual}, pinned ${source.sha256}), refused`);
      return undefined;
    }
    return data;
  }

  /** Downloads `source.url` (synchronously, in a child process: checks are synchronous) and verifies it. */
  private fetch(source: SchemaSource, tried: string[]): Buffer | undefined {
    if (!this.download) {
      tried.push(`${source.url}: not fetched (CDK8S_SCHEMA_DOWNLOAD=off)`);
      return undefined;
    }
    const result = downloadSync(source.url);
    if (typeof result === 'string') {
      tried.push(`${source.url}: ${result}`);
      return undefined;
    }
    const data = source.extractKind ? extractCrdDocument(result, source.extractKind) : result;
    if (!data) {
      tried.push(`${source.url}: no CustomResourceDefinition of kind ${source.extractKind} in it`);
      return undefined;
    }
    const actual = sha256(data);
    if (actual !== source.sha256) {
      tried.push(`${source.url}: checksum mismatch (sha256 ${actual}, pinned ${source.sha256}), refused`);
      return undefined;
    }
    return data;
  }
}

/**
 * The document of a multi-document CRD bundle that defines `kind`, verbatim with its leading
 * `---` line (how the Istio bundle is split into one file per kind).
 */
export function extractCrdDocument(bundle: Buffer, kind: string): Buffer | undefined {
  const documents = bundle.toString('utf8').split(/^(?=---\s*$)/m);
  const found = documents.find((doc) => new RegExp(`^\\s+kind: ${kind}\\s*$`, 'm').test(doc) && /^kind: CustomResourceDefinition\s*$/m.test(doc));
  return found === undefined ? undefined : Buffer.from(found.startsWith('---') ? found : `---\n${found}`, 'utf8');
}

/**
 * GETs `url` (http or https, redirects followed) in a child process and returns its body, or a
 * one-line reason it could not.
 */
export function downloadSync(url: string): Buffer | string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-schema-')), 'body');
  const script = `
    const [url, file] = process.argv.slice(1);
    const get = (u, left) => require(u.startsWith('https:') ? 'https' : 'http').get(u, { timeout: ${DOWNLOAD_TIMEOUT_MS} }, (res) => {
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && left > 0) { res.resume(); return get(new URL(res.headers.location, u).toString(), left - 1); }
      if (res.statusCode !== 200) { console.error('HTTP ' + res.statusCode); process.exit(1); }
      const out = require('fs').createWriteStream(file); res.pipe(out); out.on('finish', () => process.exit(0));
    }).on('timeout', function () { this.destroy(new Error('timed out')); }).on('error', (e) => { console.error(e.code || e.message); process.exit(1); });
    get(url, 5);`;
  try {
    const child = spawnSync(process.execPath, ['-e', script, url, file], { encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS + 5000 });
    if (child.status !== 0) return `download failed (${(child.stderr || child.error?.message || 'no answer').trim().split('\n')[0]})`;
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
