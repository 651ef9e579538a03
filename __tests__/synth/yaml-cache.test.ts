import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../lib';
import { dumpManifest, YamlCache } from '../../lib/synth/yaml-cache';
import { readTree, twoServiceApp } from '../helpers';

// The YAML of unchanged objects is reused between synths. Output must be byte-identical with the
// cache cold, warm, damaged or off, and a changed object must be serialized anew.

const app = twoServiceApp;

/** One segment of the cache file as YamlCache writes it: length, records (digest, length, YAML), SHA-1 of the records. */
function segment(records: Array<[Buffer, string]>): Buffer {
  const body = Buffer.concat(records.flatMap(([digest, text]) => {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(Buffer.byteLength(text));
    return [digest, length, Buffer.from(text)];
  }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length);
  return Buffer.concat([length, body, require('crypto').createHash('sha1').update(body).digest()]);
}

function synth(outdir: string, cacheDir: string | null, replicas = 2) {
  synthesize({ apps: { prod: app(replicas) }, outdir, cacheDir });
  return readTree(outdir);
}

describe('YAML cache', () => {
  test('cold, warm, damaged and disabled caches give the same bytes', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'out-')), 'dist');
    const off = synth(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'out-')), 'dist'), null);
    expect(synth(outdir, cacheDir)).toEqual(off); // cold
    const [file] = fs.readdirSync(cacheDir).filter((f) => f.startsWith('yaml-'));
    expect(file).toBeDefined();
    expect(synth(outdir, cacheDir)).toEqual(off); // warm
    // Damaged: a YAML body altered in place. The checksum rejects the file; nothing is copied from it.
    const bytes = fs.readFileSync(path.join(cacheDir, file));
    const at = bytes.indexOf('kind: Deployment');
    bytes.write('kind: Deploymenx', at, 'utf8');
    fs.writeFileSync(path.join(cacheDir, file), bytes);
    expect(synth(outdir, cacheDir)).toEqual(off);
  });

  test('a changed object is serialized again; unchanged ones come from the cache', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'out-')), 'dist');
    synth(outdir, cacheDir, 2);
    const changed = synth(outdir, cacheDir, 3);
    expect(changed['prod/50-user-service.yaml']).toMatch(/^ {2}replicas: 3$/m);
    expect(changed).toEqual(synth(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'out-')), 'dist'), null, 3));
  });

  test('serves from the cache what it stored, keyed by content', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { 'on': 'yes', multi: 'a\nb\n' } };
    const first = YamlCache.open(cacheDir, '/out')!;
    expect(first.dump(manifest)).toBe(dumpManifest(manifest));
    first.persist();
    // A second run reads the same text back for equal content, however the object was built.
    const second = YamlCache.open(cacheDir, '/out')!;
    expect(second.dump(JSON.parse(JSON.stringify(manifest)))).toBe(dumpManifest(manifest));
    expect(dumpManifest(manifest)).toContain("'on': 'yes'"); // YAML 1.1 booleans stay quoted
    // Another output has a cache of its own.
    expect(fs.readdirSync(cacheDir).filter((f) => f.startsWith('yaml-'))).toHaveLength(1);
    YamlCache.open(cacheDir, '/elsewhere')!.dump(manifest);
    expect(YamlCache.open(null, '/out')).toBeUndefined();
  });

  /** A cache of one ConfigMap in a new directory; `mark()` rewrites its record with a marker text (and a matching checksum). */
  function cachedConfigMap() {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const writer = YamlCache.open(cacheDir, '/out')!;
    writer.dump(manifest);
    writer.persist();
    const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.startsWith('yaml-'))!);
    const mark = () => fs.writeFileSync(file, segment([[fs.readFileSync(file).subarray(4, 32), 'marker: from-cache\n']]));
    return { cacheDir, manifest, mark };
  }

  test('what the cache holds is what is written: a hit does not serialize', () => {
    const { cacheDir, manifest, mark } = cachedConfigMap();
    mark();
    expect(YamlCache.open(cacheDir, '/out')!.dump({ ...manifest })).toBe('marker: from-cache\n');
  });

  test('warm() reads the cache file at once: later changes to the file do not reach it', () => {
    const { cacheDir, manifest, mark } = cachedConfigMap();
    const warmed = YamlCache.open(cacheDir, '/out')!;
    const lazy = YamlCache.open(cacheDir, '/out')!;
    warmed.warm();
    mark();
    expect(warmed.dump({ ...manifest })).toBe(dumpManifest(manifest));
    expect(lazy.dump({ ...manifest })).toBe('marker: from-cache\n');
  });

  describe('saving', () => {
    const cm = (name: string, value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } });
    /** One run: serializes `manifests` through a cache opened afresh, then saves it. */
    function run(cacheDir: string, manifests: object[]): string[] {
      const cache = YamlCache.open(cacheDir, '/out')!;
      const texts = manifests.map((m) => cache.dump(m));
      cache.persist();
      return texts;
    }
    const cacheFile = (dir: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('yaml-'))!);

    test('what a run adds is appended; the file before it is left as it was', () => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
      const objects = Array.from({ length: 50 }, (_, i) => cm(`c${i}`, 'x'.repeat(100)));
      run(cacheDir, objects);
      const before = fs.readFileSync(cacheFile(cacheDir));
      run(cacheDir, [...objects.slice(1), cm('c0', 'edited')]);
      const after = fs.readFileSync(cacheFile(cacheDir));
      expect(after.subarray(0, before.length).equals(before)).toBe(true);
      expect(after.length - before.length).toBeLessThan(200); // one record, not the 50
      // A run with nothing new writes nothing.
      run(cacheDir, objects);
      expect(fs.readFileSync(cacheFile(cacheDir)).equals(after)).toBe(true);
      // Both versions of the edited object are served from the file.
      const cache = YamlCache.open(cacheDir, '/out')!;
      for (const m of [objects[0], cm('c0', 'edited')]) expect(cache.dump(m)).toBe(dumpManifest(m));
    });

    test('an append cut short is dropped alone, and the next save rewrites the file whole', () => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
      run(cacheDir, [cm('a', '1')]);
      run(cacheDir, [cm('a', '1'), cm('b', '2')]);
      const file = cacheFile(cacheDir);
      const full = fs.readFileSync(file);
      fs.writeFileSync(file, full.subarray(0, full.length - 5));
      // The first segment still serves; the cut one is not trusted (b is serialized again).
      const firstSegment = 4 + full.readUInt32LE(0) + 20;
      const cache = YamlCache.open(cacheDir, '/out')!;
      cache.warm();
      fs.writeFileSync(file, Buffer.concat([segment([[full.subarray(4, 32), 'marker: a\n']]), full.subarray(firstSegment, full.length - 5)]));
      expect(YamlCache.open(cacheDir, '/out')!.dump(cm('a', '1'))).toBe('marker: a\n');
      expect(cache.dump(cm('b', '2'))).toBe(dumpManifest(cm('b', '2')));
      cache.persist();
      const rewritten = fs.readFileSync(file);
      expect(4 + rewritten.readUInt32LE(0) + 20).toBe(rewritten.length); // one segment, all of the file
      expect(YamlCache.open(cacheDir, '/out')!.dump(cm('b', '2'))).toBe(dumpManifest(cm('b', '2')));
    });

    test('the file is rewritten once it holds more than three times what a run uses', () => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
      const big = 'x'.repeat(400_000);
      const sizes: number[] = [];
      for (let edit = 0; edit < 12; edit++) {
        run(cacheDir, [cm('big', `${edit}${big}`)]);
        sizes.push(fs.statSync(cacheFile(cacheDir)).size);
      }
      // Each run uses ~0.4 MB: the file grows by appends up to 3 x 0.4 + 1 MB, then is rewritten
      // with this run's object and one older one.
      expect(Math.max(...sizes)).toBeLessThan(3 * 400_100 + 1024 * 1024);
      expect(Math.min(...sizes.slice(1))).toBeGreaterThan(2 * 400_000);
      expect(sizes.some((size, i) => i > 0 && size < sizes[i - 1])).toBe(true);
      expect(sizes[1]).toBeGreaterThan(sizes[0]);
    });
  });
});
