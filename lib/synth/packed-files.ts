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

/** The files of `packed` as path → content, listed in `order` (each path must be packed). */
export function unpackFiles(packed: PackedFiles, order: readonly string[] = packed.names): Map<string, string> {
  const bytes = Buffer.from(packed.buffer);
  const contents = new Map<string, string>();
  let offset = 0;
  packed.names.forEach((name, i) => {
    contents.set(name, bytes.toString('utf8', offset, offset + packed.byteLengths[i]));
    offset += packed.byteLengths[i];
  });
  return new Map(order.map((name) => {
    const content = contents.get(name);
    if (content === undefined) throw new Error(`${name}: not among the packed files`);
    return [name, content];
  }));
}
