import * as fs from 'fs';
import { appendCacheFile, markCacheFileUsed, writeCacheFile } from './cache-dir';

/** Length of a digest line: SHA-1 in base64 (`manifestDigest` in ./hash). */
const DIGEST_LENGTH = 28;

/**
 * A set of object digests remembered between runs in one cache file, one per line, read on first
 * use. What a run adds is appended (an edit adds a few: rewriting 100,000 cost more than checking
 * them); once the file would pass `limit` lines it is rewritten with the newest `limit`. A line cut
 * short (an interrupted append) is not a digest and is dropped when read, as is anything else.
 */
export class DigestSetFile {
  private known?: Set<string>;
  /** Digests added by this run, not yet saved. */
  private added: string[] = [];
  /** Lines the file had when read (an upper bound on what it holds). */
  private lines = 0;

  /**
   * @param file the cache file
   * @param limit most digests kept @default 100,000 (~3 MB)
   */
  constructor(private readonly file: string, private readonly limit = 100_000) {}

  /** Reads the file now rather than at the first lookup. */
  public warm(): void {
    this.load();
  }

  /** True when `digest` was remembered. */
  public has(digest: string): boolean {
    return this.load().has(digest);
  }

  /** Remembers `digest` (saved by {@link persist}). */
  public add(digest: string): void {
    const known = this.load();
    if (known.has(digest)) return;
    known.add(digest);
    this.added.push(digest);
  }

  /** Saves the digests added since the last call. */
  public persist(): void {
    if (this.added.length === 0) return;
    if (this.lines + this.added.length <= this.limit) {
      appendCacheFile(this.file, `\n${this.added.join('\n')}\n`);
      this.lines += this.added.length;
    } else {
      const entries = [...this.load()].slice(-this.limit);
      writeCacheFile(this.file, `${entries.join('\n')}\n`);
      this.lines = entries.length;
    }
    this.added = [];
  }

  private load(): Set<string> {
    if (!this.known) {
      try {
        const lines = fs.readFileSync(this.file, 'utf8').split('\n');
        this.lines = lines.length;
        this.known = new Set(lines.filter((line) => line.length === DIGEST_LENGTH));
        markCacheFileUsed(this.file);
      } catch {
        this.known = new Set();
      }
    }
    return this.known;
  }
}
