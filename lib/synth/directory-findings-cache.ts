import { createHash, Hash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { markCacheFileUsed, writeCacheFile } from '../core/cache-dir';
import { Finding, PortableCheck } from '../validation/finding';
import { checksCacheKey } from './checks-cache-key';

/**
 * The findings of the checks over whole output directories (cross-references, lints…), remembered
 * with the content they were found on: a synth whose directory is exactly what it was last time
 * (a re-synth after a change elsewhere, or CI checking that `dist/` is up to date) takes them from
 * here instead of checking its objects again (~0.35 s at 13,000 objects).
 *
 * Findings depend on nothing but the objects (their files and JSON, in order), the checks'
 * construction arguments and {@link PortableCheck.verdictKey}, and the library's code: the
 * key covers all of them. One entry per set of checks, output and directory name holds the latest
 * content only; any other content is checked anew.
 */
export class DirectoryFindingsCache {
  /**
   * The cache for `checks` in `dir`, or none without a cache directory or when a check cannot be
   * keyed. `output` (the output directory written, e.g. `dist`) keeps the entries of different
   * outputs apart: two projects with a `prod` directory do not replace each other's.
   */
  public static open(dir: string | null | undefined, checks: readonly PortableCheck[], output = ''): DirectoryFindingsCache | undefined {
    const key = checksCacheKey(checks);
    if (!dir || !key) return undefined;
    key.update('\0').update(output);
    return new DirectoryFindingsCache(dir, key.digest('hex'), checks.length);
  }

  private readonly content = new Map<string, Hash>();

  private constructor(private readonly dir: string, private readonly checksKey: string, private readonly checkCount: number) {}

  /**
   * Adds one file of output directory `dir` to the content its findings are keyed by: its path and
   * its objects' JSON, one per line (as {@link SerializedManifests.encode} gives them). Files come
   * in the order the checks see them.
   */
  public addFile(dir: string, rel: string, json: ArrayBuffer): void {
    let hash = this.content.get(dir);
    if (!hash) {
      hash = createHash('sha1');
      this.content.set(dir, hash);
    }
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(json.byteLength));
    hash.update(rel).update('\0').update(length).update(new Uint8Array(json));
  }

  /** The findings per check found on exactly this content of `dir` before, if any. */
  public get(dir: string): Finding[][] | undefined {
    const file = this.file(dir);
    try {
      const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { content?: unknown; findings?: unknown };
      if (entry.content !== this.digest(dir) || !Array.isArray(entry.findings) || entry.findings.length !== this.checkCount) return undefined;
      markCacheFileUsed(file);
      return entry.findings as Finding[][];
    } catch {
      return undefined; // nothing cached yet, or not readable: check anew
    }
  }

  /** Remembers the findings per check on the content of `dir` added so far. */
  public set(dir: string, findings: readonly (readonly Finding[])[]): void {
    writeCacheFile(this.file(dir), JSON.stringify({ content: this.digest(dir), findings }));
  }

  private digest(dir: string): string {
    // Digested on a copy: more files may still be added to the same directory.
    return (this.content.get(dir)?.copy() ?? createHash('sha1')).digest('hex');
  }

  private file(dir: string): string {
    const name = createHash('sha1').update(this.checksKey).update('\0').update(dir).digest('hex');
    return path.join(this.dir, `directory-findings-${name}.json`);
  }
}
