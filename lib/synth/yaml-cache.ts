import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { markCacheFileUsed, packageVersion, writeCacheFile } from '../core/cache-dir';
import { manifestDigest } from '../core/hash';
import { YAML_1_1_MODULE, YAML_1_1_SAFE_SCHEMA } from './yaml-1-1';

/** The one way objects are serialized; the cache key includes it (and the schema's module). */
const DUMP_OPTIONS: yaml.DumpOptions = { noRefs: true, lineWidth: -1 };
/**
 * Strings a YAML 1.1 reader (kubectl, Argo CD) would take for a number, boolean, null or timestamp
 * are quoted; all others are written as js-yaml writes them.
 */
const WRITE_OPTIONS: yaml.DumpOptions = { ...DUMP_OPTIONS, schema: YAML_1_1_SAFE_SCHEMA };
/** The cache file is rewritten with this run's objects first, then older ones up to this size. */
const MAX_BYTES = 64 * 1024 * 1024;
const DIGEST_BYTES = 28;

/** One object as YAML, as `js-yaml` dumps it for the output, with YAML 1.1-ambiguous strings quoted. */
export function dumpManifest(manifest: unknown): string {
  return yaml.dump(manifest, WRITE_OPTIONS);
}

/**
 * The YAML of objects serialized before, by digest of their JSON: serializing is the largest
 * cost of a large synth, and most objects are unchanged from one synth to the next. Keyed by the
 * js-yaml version, the dump options and the code of this module and of the YAML 1.1 schema, so any
 * of them changing starts over.
 */
export class YamlCache {
  /**
   * The cache in `dir` for the output written to `outdir`, or none when there is no cache
   * directory. One per output: a large app's cache is not read by every small one.
   */
  public static open(dir: string | null, outdir: string): YamlCache | undefined {
    if (!dir) return undefined;
    const output = createHash('sha1').update(path.resolve(outdir)).digest('hex').slice(0, 16);
    return new YamlCache(path.join(dir, `yaml-${codeVersion()}-${output}.bin`));
  }

  private previous?: Map<string, string>;
  private readonly used = new Map<string, string>();
  private misses = 0;

  private constructor(private readonly file: string) {}

  /**
   * Reads the cache file now rather than at the first object. Why: on a worker thread it is read
   * while the main thread still builds the app (~0.3 s for 13,000 objects), not after.
   */
  public warm(): void {
    this.load();
  }

  /** `dumpManifest(manifest)`, from the cache when this content was serialized before. */
  public dump(manifest: object): string {
    return this.dumpDigested(manifestDigest(manifest), () => manifest);
  }

  /** The YAML of the object with this digest; `manifest` gives the object when it is not cached. */
  public dumpDigested(digest: string, manifest: () => unknown): string {
    let text = this.used.get(digest) ?? this.load().get(digest);
    if (text === undefined) {
      text = dumpManifest(manifest());
      this.misses++;
    }
    this.used.set(digest, text);
    return text;
  }

  /** Writes the cache when this run serialized anything new: this run's objects, then older ones. */
  public persist(): void {
    if (this.misses === 0) return;
    const records: Buffer[] = [];
    let size = 0;
    const add = (digest: string, text: string) => {
      const body = Buffer.from(text, 'utf8');
      const header = Buffer.alloc(DIGEST_BYTES + 4);
      header.write(digest, 0, DIGEST_BYTES, 'latin1');
      header.writeUInt32LE(body.length, DIGEST_BYTES);
      records.push(header, body);
      size += header.length + body.length;
    };
    for (const [digest, text] of this.used) add(digest, text);
    for (const [digest, text] of this.load()) {
      if (size >= MAX_BYTES) break;
      if (!this.used.has(digest)) add(digest, text);
    }
    const body = Buffer.concat(records);
    writeCacheFile(this.file, Buffer.concat([body, createHash('sha1').update(body).digest()]));
    this.misses = 0;
  }

  private load(): Map<string, string> {
    if (this.previous) return this.previous;
    this.previous = new Map();
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file);
      markCacheFileUsed(this.file);
    } catch {
      return this.previous; // nothing cached yet
    }
    // Records (28-byte digest, 4-byte length, UTF-8 YAML), then the SHA-1 of the records: output is
    // copied from here, so a file that does not check out is dropped whole.
    const end = data.length - 20;
    if (end < 0 || !createHash('sha1').update(data.subarray(0, end)).digest().equals(data.subarray(end))) return this.previous;
    const records = new Map<string, string>();
    for (let at = 0; at < end;) {
      if (at + DIGEST_BYTES + 4 > end) return this.previous;
      const digest = data.toString('latin1', at, at + DIGEST_BYTES);
      const length = data.readUInt32LE(at + DIGEST_BYTES);
      const start = at + DIGEST_BYTES + 4;
      if (start + length > end) return this.previous;
      records.set(digest, data.toString('utf8', start, start + length));
      at = start + length;
    }
    this.previous = records;
    return records;
  }
}

/** The key of everything that decides the YAML written: js-yaml's version, the options, the writer's code. */
export function codeVersion(): string {
  const hash = createHash('sha1').update(`js-yaml@${packageVersion('js-yaml')}`).update(JSON.stringify(DUMP_OPTIONS));
  for (const file of [__filename, YAML_1_1_MODULE]) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}
