import { packFiles, unpackFiles } from '../../lib/synth/packed-files';

// The output worker hands the YAML of every file back in one transferred buffer.

describe('packed files', () => {
  test('contents come back unchanged, in the order asked for, with their byte total', () => {
    const files: Array<[string, string]> = [['dev/a.yaml', 'a: 1\n'], ['dev/b.yaml', 'b: "ü 🚀"\n'], ['prod/a.yaml', '']];
    const packed = packFiles(files);
    expect(packed.buffer.byteLength).toBe(files.reduce((n, [, c]) => n + Buffer.byteLength(c), 0));
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
});
