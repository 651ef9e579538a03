import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { markCacheFileUsed, writeCacheFile } from '../core/cache-dir';
import { repairQuotedContinuations } from '../validation/crd-text';
import { downloadSync, SchemaSourceError, sha256 } from './source-resolver';

/** A kind a CRD file defines, with the versions it serves. */
export interface CrdKind {
  /** API group. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /** Served versions. */
  readonly versions: readonly string[];
}

/** A file of CRDs found through a schema location. */
export interface CrdFile {
  /** Where it was read (a local path; a URL's download lives in the cache directory). */
  readonly file: string;
  /** What the user gave: the path or URL. */
  readonly location: string;
  /** SHA-256 of its bytes (part of validator cache keys). */
  readonly sha256: string;
  /** The kinds it defines. */
  readonly kinds: readonly CrdKind[];
}

/** Options of {@link resolveSchemaLocations}. */
export interface SchemaLocationOptions {
  /** Cache directory for downloads and for the index of kinds per file. @default none */
  readonly cacheDir?: string | null;
  /** Fetch URL locations. @default true unless `CDK8S_SCHEMA_DOWNLOAD=off` */
  readonly download?: boolean;
}

const CRD_FILE = /\.(ya?ml|json)$/;

/** True when `location` is a URL rather than a path. */
export function isUrl(location: string): boolean {
  return /^https?:\/\//.test(location);
}

/**
 * The CRD files of user-given schema locations, in order: a CRD file, a directory (its `*.yaml`,
 * `*.yml` and `*.json` files, not recursive), or an http(s) URL (fetched once into the cache
 * directory; `#sha256=<hex>` after the URL pins its content). A location that does not exist, or
 * a pinned URL whose content differs, is an error naming it.
 */
export function resolveSchemaLocations(locations: readonly string[], options: SchemaLocationOptions = {}): CrdFile[] {
  const out: CrdFile[] = [];
  for (const location of locations) {
    if (isUrl(location)) {
      out.push(indexed(location, fetchLocation(location, options), options.cacheDir));
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(location);
    } catch {
      throw new SchemaSourceError(`schema location ${location}: no such file or directory (give a CRD file, a directory of CRD files, or an http(s) URL)`);
    }
    const files = stat.isDirectory()
      ? fs.readdirSync(location).filter((f) => CRD_FILE.test(f)).sort().map((f) => path.join(location, f))
      : [location];
    for (const file of files) out.push(indexed(location, { file, data: fs.readFileSync(file) }, options.cacheDir));
  }
  return out;
}

/** The CustomResourceDefinitions in a YAML or JSON text. */
export function parseCrds(text: string): any[] {
  return (yaml.loadAll(repairQuotedContinuations(text)) as any[]).filter((d) => d?.kind === 'CustomResourceDefinition');
}

function indexed(location: string, { file, data }: { file: string; data: Buffer }, cacheDir?: string | null): CrdFile {
  const digest = sha256(data);
  const indexFile = cacheDir ? path.join(cacheDir, `crd-index-${digest}.json`) : undefined;
  if (indexFile) {
    try {
      const kinds = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
      markCacheFileUsed(indexFile);
      return { file, location, sha256: digest, kinds };
    } catch {
      // not indexed yet
    }
  }
  let crds: any[];
  try {
    crds = parseCrds(data.toString('utf8'));
  } catch (e) {
    throw new SchemaSourceError(`schema location ${location}: ${file} is not readable YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const kinds: CrdKind[] = crds.map((crd) => ({
    group: crd.spec?.group,
    kind: crd.spec?.names?.kind,
    versions: (crd.spec?.versions ?? []).filter((v: any) => v.served).map((v: any) => v.name),
  })).filter((k) => typeof k.group === 'string' && typeof k.kind === 'string');
  if (indexFile) writeCacheFile(indexFile, JSON.stringify(kinds));
  return { file, location, sha256: digest, kinds };
}

function fetchLocation(location: string, options: SchemaLocationOptions): { file: string; data: Buffer } {
  const [url, pin] = location.split('#sha256=');
  const cached = options.cacheDir ? path.join(options.cacheDir, 'sources', `url-${createHash('sha1').update(location).digest('hex')}.yaml`) : undefined;
  if (cached) {
    try {
      const data = fs.readFileSync(cached);
      if (!pin || sha256(data) === pin) {
        markCacheFileUsed(cached);
        return { file: cached, data };
      }
    } catch {
      // not fetched yet
    }
  }
  if ((options.download ?? process.env.CDK8S_SCHEMA_DOWNLOAD !== 'off') === false) {
    throw new SchemaSourceError(`schema location ${location}: not in the cache and not fetched (CDK8S_SCHEMA_DOWNLOAD=off)`);
  }
  const result = downloadSync(url);
  if (typeof result === 'string') throw new SchemaSourceError(`schema location ${location}: ${result}`);
  if (pin && sha256(result) !== pin) {
    throw new SchemaSourceError(`schema location ${location}: checksum mismatch (sha256 ${sha256(result)}, pinned ${pin}), refused`);
  }
  if (cached) writeCacheFile(cached, result);
  return { file: cached ?? url, data: result };
}
