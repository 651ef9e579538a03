import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { appendCacheFile, markCacheFileUsed, outputCacheKey, packageVersion, writeCacheFile } from '../core/cache-dir';
import { manifestDigest } from '../core/hash';
import type { SerializedManifests } from './serialized-manifests';
import { YAML_1_1_MODULE, YAML_1_1_SAFE_SCHEMA } from './yaml-1-1';

/** The one way objects are serialized; the cache key includes it (and the schema's module). */
const DUMP_OPTIONS: yaml.DumpOptions = { noRefs: true, lineWidth: -1 };
/**
 * Strings a YAML 1.1 reader (kubectl, Argo CD) would take for a number, boolean, null or timestamp
 * are quoted; all others are written as js-yaml writes them.
 */
const WRITE_OPTIONS: yaml.DumpOptions = { ...DUMP_OPTIONS, schema: YAML_1_1_SAFE_SCHEMA };
/** The cache file never grows beyond this size. */
const MAX_BYTES = 64 * 1024 * 1024;
/** A small output's cache is rewritten only after this much has been appended beyond three times its size. */
const COMPACTION_SLACK_BYTES = 1024 * 1024;
const DIGEST_BYTES = 28;
const SHA1_BYTES = 20;

const DOCUMENT_SEPARATOR = Buffer.from('---\n');

/**
 * The YAML stream of a file's objects in UTF-8, as parts (documents and separators) to be copied
 * once, where they go; through `cache` when given.
 */
export function yamlDocuments(file: SerializedManifests, cache?: YamlCache): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0; i < file.length; i++) {
    if (i > 0) parts.push(DOCUMENT_SEPARATOR);
    const digest = cache ? file.digest(i) : undefined;
    parts.push(digest !== undefined ? cache!.dumpDigested(digest, () => file.manifest(i)) : Buffer.from(dumpManifest(file.manifest(i)), 'utf8'));
  }
  return parts;
}

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
    return new YamlCache(path.join(dir, `yaml-${codeVersion()}-${outputCacheKey(outdir)}.bin`));
  }

  /** The YAML (UTF-8) of each digest in the file: views of the bytes read, never decoded here. */
  private previous?: Map<string, Buffer>;
  /** The cache file as read. */
  private data?: Buffer;
  /** Bytes of the cache file that checked out when it was read. */
  private loadedBytes = 0;
  /** Whether the file went on beyond them: what is appended after a damaged part is never read. */
  private damaged = false;
  private readonly used = new Map<string, Buffer>();
  private misses = 0;

  /**
   * The buffer the cache file was read into, of which {@link dumpDigested} returns views, when it
   * is the file's alone (it can be transferred to another thread once this cache is done with).
   */
  public get sharedBuffer(): ArrayBuffer | undefined {
    this.load();
    const data = this.data;
    return data && data.byteOffset === 0 && data.length === data.buffer.byteLength ? data.buffer as ArrayBuffer : undefined;
  }

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
    return this.dumpDigested(manifestDigest(manifest), () => manifest).toString('utf8');
  }

  /**
   * The YAML of the object with this digest, as UTF-8; `manifest` gives the object when it is not
   * cached. Bytes, not a string: output files are written and handed back as bytes, and decoding
   * the cached YAML of 13,000 objects (then encoding it again) cost ~0.15 s plus its garbage.
   */
  public dumpDigested(digest: string, manifest: () => unknown): Buffer {
    let bytes = this.used.get(digest) ?? this.load().get(digest);
    if (bytes === undefined) {
      bytes = Buffer.from(dumpManifest(manifest()), 'utf8');
      this.misses++;
    }
    this.used.set(digest, bytes);
    return bytes;
  }

  /**
   * Saves what this run serialized anew. Usually appended as one segment (an edit adds the YAML of
   * a few objects: rewriting the whole file cost ~0.3 s at 13,000 objects). Once the file would
   * hold more than three times what this run used (objects since changed or gone) or pass
   * {@link MAX_BYTES}, it is rewritten: this run's objects first, then older ones up to as much
   * again, so appends go on for at least one run's worth before the next rewrite.
   */
  public persist(): void {
    if (this.misses === 0) return;
    const known = this.load();
    let usedBytes = this.used.size * (DIGEST_BYTES + 4);
    for (const bytes of this.used.values()) usedBytes += bytes.length;
    const added = [...this.used].filter(([digest]) => !known.has(digest));
    const segment = encodeSegment(added);
    const grown = this.loadedBytes + segment.length;
    if (this.loadedBytes > 0 && !this.damaged && grown <= Math.min(MAX_BYTES, 3 * usedBytes + COMPACTION_SLACK_BYTES)) {
      appendCacheFile(this.file, segment);
      this.loadedBytes = grown;
    } else {
      const records: Array<[string, Buffer]> = [...this.used];
      // Older objects (another branch's, a feature switched off) are kept up to as much again.
      const keep = Math.min(MAX_BYTES, 2 * usedBytes);
      let size = usedBytes;
      for (const [digest, bytes] of known) {
        if (size >= keep) break;
        if (!this.used.has(digest)) {
          records.push([digest, bytes]);
          size += DIGEST_BYTES + 4 + bytes.length;
        }
      }
      const rewritten = encodeSegment(records);
      writeCacheFile(this.file, rewritten);
      this.loadedBytes = rewritten.length;
    }
    for (const [digest, bytes] of added) known.set(digest, bytes);
    this.damaged = false;
    this.misses = 0;
  }

  private load(): Map<string, Buffer> {
    if (this.previous) return this.previous;
    this.previous = new Map();
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file);
      markCacheFileUsed(this.file);
    } catch {
      return this.previous; // nothing cached yet
    }
    this.data = data;
    // Segments, each: its length, records (28-byte digest, 4-byte length, UTF-8 YAML), the SHA-1
    // of the records. Output is copied from here, so a segment that does not check out is dropped
    // with all after it (an append cut short, or interleaved with another process's).
    const records = new Map<string, Buffer>();
    let at = 0;
    while (at + 4 <= data.length) {
      const length = data.readUInt32LE(at);
      const start = at + 4;
      const end = start + length;
      if (end + SHA1_BYTES > data.length || !createHash('sha1').update(data.subarray(start, end)).digest().equals(data.subarray(end, end + SHA1_BYTES))) break;
      if (!readRecords(data, start, end, records)) break;
      at = end + SHA1_BYTES;
    }
    this.loadedBytes = at;
    this.damaged = at !== data.length;
    this.previous = records;
    return records;
  }
}

/** One segment of the cache file: its length, the records, their SHA-1. */
function encodeSegment(records: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4)];
  let length = 0;
  for (const [digest, body] of records) {
    const header = Buffer.alloc(DIGEST_BYTES + 4);
    header.write(digest, 0, DIGEST_BYTES, 'latin1');
    header.writeUInt32LE(body.length, DIGEST_BYTES);
    parts.push(header, body);
    length += header.length + body.length;
  }
  parts[0].writeUInt32LE(length);
  const segment = Buffer.concat(parts);
  return Buffer.concat([segment, createHash('sha1').update(segment.subarray(4)).digest()]);
}

/** Reads the records of `data` from `start` to `end` into `into` (views of `data`); false when they do not fit exactly. */
function readRecords(data: Buffer, start: number, end: number, into: Map<string, Buffer>): boolean {
  for (let at = start; at < end;) {
    if (at + DIGEST_BYTES + 4 > end) return false;
    const digest = data.toString('latin1', at, at + DIGEST_BYTES);
    const length = data.readUInt32LE(at + DIGEST_BYTES);
    const body = at + DIGEST_BYTES + 4;
    if (body + length > end) return false;
    into.set(digest, data.subarray(body, body + length));
    at = body + length;
  }
  return true;
}

let writerVersion: string | undefined;

/**
 * The key of everything that decides the YAML written: js-yaml's version, the options, the writer's
 * code (computed once: the YAML cache and the output file states are both keyed by it).
 */
export function codeVersion(): string {
  if (writerVersion === undefined) {
    const hash = createHash('sha1').update(`js-yaml@${packageVersion('js-yaml')}`).update(JSON.stringify(DUMP_OPTIONS));
    for (const file of [__filename, YAML_1_1_MODULE]) hash.update(fs.readFileSync(file));
    writerVersion = hash.digest('hex');
  }
  return writerVersion;
}
