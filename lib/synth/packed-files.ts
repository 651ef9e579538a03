/**
 * Files' contents as UTF-8 in one buffer: how a worker thread hands back 15 MB of YAML. Posted as
 * strings, they cost the waiting main thread ~0.3 s of copying; a transferred buffer is not copied,
 * and decoding it takes a few milliseconds.
 */
export interface PackedFiles {
  /** Relative paths, in order. */
  readonly names: readonly string[];
  /** Each file's length in bytes, in the same order. */
  readonly byteLengths: readonly number[];
  /** The contents, one after another (transfer it when posting). */
  readonly buffer: ArrayBuffer;
}

/** Packs `files` (path, content) into one buffer. */
export function packFiles(files: ReadonlyArray<readonly [string, string]>): PackedFiles {
  let total = 0;
  const byteLengths = files.map(([, content]) => {
    const n = Buffer.byteLength(content);
    total += n;
    return n;
  });
  const buffer = new ArrayBuffer(total);
  const view = Buffer.from(buffer);
  let offset = 0;
  for (const [, content] of files) offset += view.write(content, offset, 'utf8');
  return { names: files.map(([name]) => name), byteLengths, buffer };
}

/**
 * The files of `packed` as path → content, listed in `order` (each path must be packed). Each
 * content is decoded from the buffer when first read. Why: decoding all 15 MB at once cost the main
 * thread ~0.2 s at 13,000 objects, mostly in garbage collection of the new strings, and the
 * contents are usually not read at all (the worker has written the files).
 */
export function unpackFiles(packed: PackedFiles, order: readonly string[] = packed.names): ReadonlyMap<string, string> {
  return new PackedFileMap(packed, order);
}

class PackedFileMap implements ReadonlyMap<string, string> {
  private readonly bytes: Buffer;
  /** Path → [start, end) in the buffer, in `order`. */
  private readonly ranges = new Map<string, readonly [number, number]>();
  private readonly decoded = new Map<string, string>();

  constructor(packed: PackedFiles, order: readonly string[]) {
    this.bytes = Buffer.from(packed.buffer);
    const ranges = new Map<string, readonly [number, number]>();
    let offset = 0;
    packed.names.forEach((name, i) => {
      ranges.set(name, [offset, offset + packed.byteLengths[i]]);
      offset += packed.byteLengths[i];
    });
    for (const name of order) {
      const range = ranges.get(name);
      if (range === undefined) throw new Error(`${name}: not among the packed files`);
      this.ranges.set(name, range);
    }
  }

  public get size(): number {
    return this.ranges.size;
  }

  public has(name: string): boolean {
    return this.ranges.has(name);
  }

  public get(name: string): string | undefined {
    let content = this.decoded.get(name);
    if (content === undefined) {
      const range = this.ranges.get(name);
      if (range === undefined) return undefined;
      content = this.bytes.toString('utf8', range[0], range[1]);
      this.decoded.set(name, content);
    }
    return content;
  }

  public keys(): MapIterator<string> {
    return this.ranges.keys();
  }

  public *values(): MapIterator<string> {
    for (const name of this.ranges.keys()) yield this.get(name)!;
  }

  public *entries(): MapIterator<[string, string]> {
    for (const name of this.ranges.keys()) yield [name, this.get(name)!];
  }

  public [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  public forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [name, content] of this.entries()) callback.call(thisArg, content, name, this);
  }
}
