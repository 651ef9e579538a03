/**
 * Files' contents as UTF-8: how a worker thread hands back 15 MB of YAML. Each file is a list of
 * pieces of a few buffers, mostly of the buffer its YAML cache was read into, so the worker copies
 * next to nothing and the buffers cross to the main thread without copying (transferred). Posted
 * as strings, the files cost the waiting main thread ~0.3 s of copying; copied into one buffer,
 * 15 MB of fresh memory cost the worker ~0.15 s (a page fault per 4 kB on this VM).
 */
export interface PackedFiles {
  /** Relative paths, in order. */
  readonly names: readonly string[];
  /** Where each file's pieces start in {@link pieces} (in piece triples), and where the last one's end. */
  readonly fileStarts: readonly number[];
  /** The pieces, in order, each three numbers: index in {@link buffers}, byte offset, byte length. */
  readonly pieces: Uint32Array;
  /** What the pieces are of (transfer them when posting). */
  readonly buffers: readonly ArrayBuffer[];
}

/** Total bytes of the files packed. */
export function packedBytes(packed: PackedFiles): number {
  let total = 0;
  for (let i = 2; i < packed.pieces.length; i += 3) total += packed.pieces[i];
  return total;
}

/**
 * Packs files as they come, from their parts (documents and separators). A part that is a view of
 * the `shared` buffer (the YAML cache's, read from its file) is referred to where it is; any other
 * is copied into a buffer of the packer's own.
 */
export class FilePacker {
  private readonly names: string[] = [];
  private readonly fileStarts: number[] = [0];
  private pieces = new Uint32Array(3 * 1024);
  private pieceCount = 0;
  private own = Buffer.from(new ArrayBuffer(64 * 1024));
  private ownUsed = 0;

  /** @param shared the buffer parts may be views of (none: every part is copied). @default none */
  constructor(private readonly shared: () => ArrayBuffer | undefined = () => undefined) {}

  /** Adds file `name` made of `parts`, in order. */
  public add(name: string, parts: readonly Uint8Array[]): void {
    const shared = this.shared();
    for (const part of parts) {
      if (part.length === 0) continue;
      if (shared !== undefined && part.buffer === shared) {
        this.piece(1, part.byteOffset, part.length);
      } else {
        this.reserveOwn(part.length);
        this.own.set(part, this.ownUsed);
        this.piece(0, this.ownUsed, part.length);
        this.ownUsed += part.length;
      }
    }
    this.names.push(name);
    this.fileStarts.push(this.pieceCount);
  }

  /** The files packed (the shared buffer, when any part was of it, goes with them). */
  public finish(): PackedFiles {
    const shared = this.shared();
    return {
      names: this.names,
      fileStarts: this.fileStarts,
      pieces: this.pieces.slice(0, 3 * this.pieceCount),
      buffers: shared !== undefined ? [this.own.buffer as ArrayBuffer, shared] : [this.own.buffer as ArrayBuffer],
    };
  }

  /** Appends a piece, merged with the previous one when it goes on where that one ends. */
  private piece(buffer: number, offset: number, length: number): void {
    const last = 3 * (this.pieceCount - 1);
    if (this.pieceCount > this.fileStarts[this.fileStarts.length - 1] && this.pieces[last] === buffer && this.pieces[last + 1] + this.pieces[last + 2] === offset) {
      this.pieces[last + 2] += length;
      return;
    }
    if (3 * (this.pieceCount + 1) > this.pieces.length) {
      const grown = new Uint32Array(this.pieces.length * 2);
      grown.set(this.pieces);
      this.pieces = grown;
    }
    this.pieces.set([buffer, offset, length], 3 * this.pieceCount);
    this.pieceCount++;
  }

  private reserveOwn(length: number): void {
    if (this.ownUsed + length <= this.own.length) return;
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.own.length * 2, this.ownUsed + length)));
    grown.set(this.own.subarray(0, this.ownUsed));
    this.own = grown;
  }
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
  private readonly buffers: readonly Buffer[];
  /** Path → its pieces, [start, end) in piece triples, in `order`. */
  private readonly ranges = new Map<string, readonly [number, number]>();
  private readonly decoded = new Map<string, string>();

  constructor(private readonly packed: PackedFiles, order: readonly string[]) {
    this.buffers = packed.buffers.map((b) => Buffer.from(b));
    const ranges = new Map<string, readonly [number, number]>();
    packed.names.forEach((name, i) => ranges.set(name, [packed.fileStarts[i], packed.fileStarts[i + 1]]));
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
      const { pieces } = this.packed;
      const parts: Buffer[] = [];
      for (let p = range[0]; p < range[1]; p++) parts.push(this.buffers[pieces[3 * p]].subarray(pieces[3 * p + 1], pieces[3 * p + 1] + pieces[3 * p + 2]));
      content = Buffer.concat(parts).toString('utf8');
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
