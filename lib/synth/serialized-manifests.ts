import { jsonDigest, manifestDigest } from '../core/hash';

const UTF8 = new TextEncoder();
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * The objects of one file with their digests ({@link manifestDigest}), each parsed from its JSON
 * only when something needs the object. Why: files cross to the output worker as JSON, and on a
 * re-synth nearly every object is found in the worker's caches (clean by the checks, YAML known)
 * by its digest alone, so most are never parsed there; posting objects instead made both threads
 * walk all of them (~0.3 s at 13,000 objects). The JSON stays UTF-8 bytes: digests are taken of
 * the bytes, and only an object that is parsed is decoded (decoding every file cost the worker
 * ~0.1 s and as much again in garbage collection).
 */
export class SerializedManifests {
  /**
   * What crosses to the worker: each object's `JSON.stringify`, one per line, as UTF-8 in a buffer
   * of its own (transferred, not copied: posting the strings cost ~0.1 s of copying at 15 MB).
   */
  public static encode(manifests: readonly unknown[]): ArrayBuffer {
    // One pass over the text (measuring it first, then writing, was two).
    const bytes = UTF8.encode(manifests.map((m) => JSON.stringify(m)).join('\n'));
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  }

  /** Over what {@link encode} produced. */
  public static decode(buffer: ArrayBuffer): SerializedManifests {
    const bytes = Buffer.from(buffer);
    // JSON.stringify escapes line breaks inside strings, so each line is one object.
    const ends: number[] = [];
    if (bytes.length > 0) {
      for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) ends.push(at);
      ends.push(bytes.length);
    }
    return new SerializedManifests({ bytes, ends }, new Array(ends.length));
  }

  /** Over objects in memory (nothing to parse). */
  public static fromObjects(manifests: readonly unknown[]): SerializedManifests {
    return new SerializedManifests(undefined, [...manifests]);
  }

  private readonly digests: Array<string | undefined>;

  private constructor(
    /** The JSON lines: all of them, and where each ends (the next starts one byte later). */
    private readonly json: { readonly bytes: Buffer; readonly ends: readonly number[] } | undefined,
    private readonly objects: unknown[],
  ) {
    this.digests = new Array(objects.length);
  }

  /** Number of objects. */
  public get length(): number {
    return this.objects.length;
  }

  /** The digest of object `i`; undefined for a value that is not an object. */
  public digest(i: number): string | undefined {
    if (this.digests[i] === undefined) {
      if (this.json) {
        const line = this.line(i);
        if (line[0] === OPEN_BRACE || line[0] === OPEN_BRACKET) this.digests[i] = jsonDigest(line);
      } else {
        const m = this.objects[i];
        if (m !== null && typeof m === 'object') this.digests[i] = manifestDigest(m);
      }
    }
    return this.digests[i];
  }

  /** Object `i`, parsed on first use. */
  public manifest(i: number): unknown {
    if (this.json && this.objects[i] === undefined) this.objects[i] = JSON.parse(this.line(i).toString('utf8'));
    return this.objects[i];
  }

  /** Every object, parsed. */
  public all(): unknown[] {
    for (let i = 0; i < this.length; i++) this.manifest(i);
    return this.objects;
  }

  private line(i: number): Buffer {
    const { bytes, ends } = this.json!;
    return bytes.subarray(i === 0 ? 0 : ends[i - 1] + 1, ends[i]);
  }
}
