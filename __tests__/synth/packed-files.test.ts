import { FilePacker, packedBytes, unpackFiles } from '../../lib/synth/packed-files';

/** Each file packed from its text, in one part. */
function packFiles(files: ReadonlyArray<readonly [string, string]>) {
  const packer = new FilePacker();
  for (const [name, content] of files) packer.add(name, [Buffer.from(content, 'utf8')]);
  return packer.finish();
}

// The output worker hands the YAML of every file back as pieces of a few transferred buffers.

describe('packed files', () => {
  test('contents come back unchanged, in the order asked for, with their byte total', () => {
    const files: Array<[string, string]> = [['dev/a.yaml', 'a: 1\n'], ['dev/b.yaml', 'b: "ü 🚀"\n'], ['prod/a.yaml', '']];
    const packed = packFiles(files);
    expect(packedBytes(packed)).toBe(files.reduce((n, [, c]) => n + Buffer.byteLength(c), 0));
    const order = ['prod/a.yaml', 'dev/a.yaml', 'dev/b.yaml'];
    const unpacked = unpackFiles(packed, order);
    expect([...unpacked.keys()]).toEqual(order);
    expect(Object.fromEntries(unpacked)).toEqual(Object.fromEntries(files));
    expect([...unpacked.values()]).toEqual(order.map((name) => Object.fromEntries(files)[name]));
    expect(unpacked.size).toBe(3);
    expect(unpacked.get('dev/b.yaml')).toBe('b: "ü 🚀"\n');
    expect(unpacked.has('dev/missing.yaml')).toBe(false);
    expect(unpacked.get('dev/missing.yaml')).toBeUndefined();
    const seen: string[] = [];
    unpacked.forEach((content, name, map) => seen.push(`${name}=${content.length}=${map === unpacked}`));
    expect(seen).toEqual(['prod/a.yaml=0=true', 'dev/a.yaml=5=true', 'dev/b.yaml=10=true']);
    expect(() => unpackFiles(packed, ['dev/missing.yaml'])).toThrow('dev/missing.yaml: not among the packed files');
  });

  test('parts of the shared buffer are referred to, not copied; other parts are copied; a file is its parts in order', () => {
    // As the YAML cache's file: records with headers between them.
    const shared = Buffer.from(new ArrayBuffer(64));
    shared.write('HEADERkind: A\nHEADERkind: B\nHEADERkind: C\n');
    const view = (text: string) => shared.subarray(shared.indexOf(text), shared.indexOf(text) + Buffer.byteLength(text));
    const separator = Buffer.from('---\n');
    const packer = new FilePacker(() => shared.buffer as ArrayBuffer);
    packer.add('a.yaml', [view('kind: A\n'), separator, Buffer.from('kind: new\n'), separator, view('kind: B\n')]);
    packer.add('b.yaml', [view('kind: C\n')]);
    // Adjacent views of the shared buffer are one piece.
    packer.add('c.yaml', [view('kind: B\n').subarray(0, 3), view('kind: B\n').subarray(3)]);
    packer.add('empty.yaml', []);
    const packed = packer.finish();
    expect(packed.buffers).toHaveLength(2);
    expect(packed.buffers[1]).toBe(shared.buffer);
    // Copied: the separators and the new document only.
    const pieces = Array.from(packed.pieces);
    const copied = pieces.filter((_, i) => i % 3 === 2 && pieces[i - 2] === 0).reduce((n, l) => n + l, 0);
    expect(copied).toBe(2 * separator.length + Buffer.byteLength('kind: new\n'));
    // a.yaml: A, then the copied separator, document and separator (adjacent: one piece), then B.
    expect(packed.fileStarts).toEqual([0, 3, 4, 5, 5]);
    const files = Object.fromEntries(unpackFiles(packed));
    expect(files).toEqual({ 'a.yaml': 'kind: A\n---\nkind: new\n---\nkind: B\n', 'b.yaml': 'kind: C\n', 'c.yaml': 'kind: B\n', 'empty.yaml': '' });
    expect(packedBytes(packed)).toBe(Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0));
  });

  test('without a shared buffer, or with parts of another, everything is copied; the packer grows as needed', () => {
    const big = Buffer.alloc(200_000, 'x');
    const packer = new FilePacker(() => new ArrayBuffer(8));
    packer.add('big.yaml', [big, Buffer.from('\n')]);
    packer.add('small.yaml', [Buffer.from('a: 1\n')]);
    const packed = packer.finish();
    expect(packed.buffers).toHaveLength(2);
    expect(Array.from(packed.pieces).filter((_, i) => i % 3 === 0)).toEqual([0, 0]);
    expect(unpackFiles(packed).get('big.yaml')).toBe(`${'x'.repeat(200_000)}\n`);
    expect(unpackFiles(packed).get('small.yaml')).toBe('a: 1\n');
  });
});
