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
    expect(() => unpackFiles(packed, ['dev/missing.yaml'])).toThrow('dev/missing.yaml: not among the packed files');
  });
});
