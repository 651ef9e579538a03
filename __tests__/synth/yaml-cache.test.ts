import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../lib';
import { dumpManifest, YamlCache } from '../../lib/synth/yaml-cache';
import { readTree, twoServiceApp } from '../helpers';

// The YAML of unchanged objects is reused between synths. Output must be byte-identical with the
// cache cold, warm, damaged or off, and a changed object must be serialized anew.

const app = twoServiceApp;

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

  test('what the cache holds is what is written: a hit does not serialize', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const writer = YamlCache.open(cacheDir, '/out')!;
    writer.dump(manifest);
    writer.persist();
    // Rewrite the one record with a marker text and a matching checksum.
    const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.startsWith('yaml-'))!);
    const digest = fs.readFileSync(file).subarray(0, 28);
    const body = Buffer.from('marker: from-cache\n');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    const records = Buffer.concat([digest, length, body]);
    fs.writeFileSync(file, Buffer.concat([records, require('crypto').createHash('sha1').update(records).digest()]));
    expect(YamlCache.open(cacheDir, '/out')!.dump({ ...manifest })).toBe('marker: from-cache\n');
  });

  test('warm() reads the cache file at once: later changes to the file do not reach it', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const writer = YamlCache.open(cacheDir, '/out')!;
    writer.dump(manifest);
    writer.persist();
    const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.startsWith('yaml-'))!);
    const warmed = YamlCache.open(cacheDir, '/out')!;
    const lazy = YamlCache.open(cacheDir, '/out')!;
    warmed.warm();
    // The record rewritten with a marker text and a matching checksum, after warm().
    const digest = fs.readFileSync(file).subarray(0, 28);
    const body = Buffer.from('marker: from-cache\n');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    const records = Buffer.concat([digest, length, body]);
    fs.writeFileSync(file, Buffer.concat([records, require('crypto').createHash('sha1').update(records).digest()]));
    expect(warmed.dump({ ...manifest })).toBe(dumpManifest(manifest));
    expect(lazy.dump({ ...manifest })).toBe('marker: from-cache\n');
  });
});
