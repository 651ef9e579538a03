import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BUILTIN_SCHEMA_SOURCES, extractCrdDocument, KUBERNETES_SCHEMA_SOURCE, SchemaSource, SchemaSourceError, SchemaSourceResolver, sha256,
} from '../../lib';
import { readTree, ROOT } from '../helpers';

const SHARED = path.join(ROOT, '..', 'shared');
const scratch = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const source = (fileName: string) => BUILTIN_SCHEMA_SOURCES.find((s) => s.fileName === fileName)!;

describe('pinned schema sources', () => {
  test('every upstream CRD and the Kubernetes definitions of the mirror are pinned, each with the checksum of the mirror file', () => {
    const mirrorFiles = [...fs.readdirSync(path.join(SHARED, 'crds')).map((f) => path.join('crds', f)), path.join('schemas', 'kubernetes-swagger.json')];
    const pinned = new Map(BUILTIN_SCHEMA_SOURCES.map((s) => [s.fileName, s]));
    for (const rel of mirrorFiles) {
      const pin = pinned.get(path.basename(rel));
      expect(pin).toBeDefined();
      expect(sha256(fs.readFileSync(path.join(SHARED, rel)))).toBe(pin!.sha256);
      expect(pin!.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\//);
    }
    expect(pinned.size).toBe(mirrorFiles.length);
  });

  test('no file of the repository is a copy of an upstream file: they are referenced, not committed', () => {
    const upstream = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else upstream.add(sha256(fs.readFileSync(p)));
      }
    };
    for (const dir of ['crds', 'schemas', 'istio-samples']) walk(path.join(SHARED, dir));
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter((f) => f && fs.existsSync(path.join(ROOT, f)));
    const copies = tracked.filter((f) => upstream.has(sha256(fs.readFileSync(path.join(ROOT, f)))));
    expect(copies).toEqual([]);
    expect(tracked.some((f) => f.startsWith('schemas/'))).toBe(false);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.files.some((f: string) => f.startsWith('schemas'))).toBe(false);
  });

  test('a source is read from a mirror, verified, and kept in the cache so later reads need no mirror', () => {
    const cacheDir = scratch('sources-cache-');
    const telemetry = source('istio-1.30.3-telemetry.yaml');
    const data = new SchemaSourceResolver({ mirrors: [SHARED], cacheDir, download: false }).read(telemetry);
    expect(sha256(data)).toBe(telemetry.sha256);
    const again = new SchemaSourceResolver({ mirrors: [scratch('empty-mirror-')], cacheDir, download: false }).read(telemetry);
    expect(again.equals(data)).toBe(true);
  });

  test('a checksum mismatch in the mirror is refused, saying which file and where', () => {
    const mirror = scratch('tampered-mirror-');
    const telemetry = source('istio-1.30.3-telemetry.yaml');
    fs.writeFileSync(path.join(mirror, telemetry.fileName), `${fs.readFileSync(path.join(SHARED, 'crds', telemetry.fileName), 'utf8')}\n# edited\n`);
    const read = () => new SchemaSourceResolver({ mirrors: [mirror], cacheDir: scratch('sources-cache-'), download: false }).read(telemetry);
    expect(read).toThrow(SchemaSourceError);
    expect(read).toThrow(new RegExp(`${mirror}/${telemetry.fileName}: checksum mismatch \\(sha256 [0-9a-f]{64}, pinned ${telemetry.sha256}\\), refused`));
  });

  test('a source that is nowhere fails with where it looked and how to provide it', () => {
    const mirror = scratch('empty-mirror-');
    expect(() => new SchemaSourceResolver({ mirrors: [mirror], cacheDir: null, download: false }).read(KUBERNETES_SCHEMA_SOURCE))
      .toThrow(/schema source kubernetes-swagger\.json .* is not available:\n {2}- mirror .*kubernetes-swagger\.json: not found\n.*not fetched \(CDK8S_SCHEMA_DOWNLOAD=off\)\n {2}Provide it: .*CDK8S_SCHEMA_MIRROR=<dir>.*allow HTTPS access to https:\/\/raw\.githubusercontent\.com\/kubernetes-client\/python/s);
  });

  describe('from the upstream URL', () => {
    // Downloads are synchronous (checks are), so the server runs in a process of its own.
    let server: ChildProcess;
    let base: string;
    beforeAll(async () => {
      const dir = scratch('upstream-');
      // The Istio files of the mirror are documents of one upstream bundle: put it back together.
      const istio = BUILTIN_SCHEMA_SOURCES.filter((s) => s.name === 'istio');
      fs.writeFileSync(path.join(dir, 'bundle.yaml'), Buffer.concat(istio.map((s) => fs.readFileSync(path.join(SHARED, 'crds', s.fileName)))));
      fs.copyFileSync(path.join(SHARED, 'crds', 'istio-1.30.3-telemetry.yaml'), path.join(dir, 'telemetry.yaml'));
      server = spawn(process.execPath, ['-e', `
        const fs = require('fs'), path = require('path');
        const s = require('http').createServer((req, res) => {
          if (req.url === '/moved') return res.writeHead(302, { location: '/bundle.yaml' }).end();
          const file = path.join(${JSON.stringify(dir)}, path.basename(req.url));
          fs.existsSync(file) ? res.writeHead(200).end(fs.readFileSync(file)) : res.writeHead(404).end();
        }).listen(0, '127.0.0.1', () => console.log(s.address().port));`]);
      base = await new Promise<string>((resolve) => server.stdout!.once('data', (port) => resolve(`http://127.0.0.1:${String(port).trim()}`)));
    });
    afterAll(() => server.kill());

    test('a download is verified, cut out of a bundle where the source says so, and cached', () => {
      const vs = source('istio-1.30.3-virtualservice.yaml');
      const fromBundle: SchemaSource = { ...vs, url: `${base}/moved` };
      const cacheDir = scratch('sources-cache-');
      const data = new SchemaSourceResolver({ mirrors: [], cacheDir, download: true }).read(fromBundle);
      expect(sha256(data)).toBe(vs.sha256);
      expect(fs.readdirSync(path.join(cacheDir, 'sources'))).toEqual([`${vs.sha256}-${vs.fileName}`]);
    });

    test('a download with other content is refused', () => {
      const wrong: SchemaSource = { ...source('istio-1.30.3-sidecar.yaml'), url: `${base}/telemetry.yaml`, extractKind: undefined };
      expect(() => new SchemaSourceResolver({ mirrors: [], cacheDir: null, download: true }).read(wrong)).toThrow(/telemetry\.yaml: checksum mismatch/);
      const missing: SchemaSource = { ...wrong, url: `${base}/nothing.yaml` };
      expect(() => new SchemaSourceResolver({ mirrors: [], cacheDir: null, download: true }).read(missing)).toThrow(/nothing\.yaml: download failed \(HTTP 404\)/);
    });
  });

  test('extracting a kind from a bundle gives the mirror file byte for byte', () => {
    const istio = BUILTIN_SCHEMA_SOURCES.filter((s) => s.name === 'istio');
    const bundle = Buffer.concat(istio.map((s) => fs.readFileSync(path.join(SHARED, 'crds', s.fileName))));
    for (const s of istio) expect(sha256(extractCrdDocument(bundle, s.extractKind!)!)).toBe(s.sha256);
  });
});

describe('without the schema files: synth and validate fail clearly and write nothing', () => {
  const env = () => ({
    ...process.env,
    CDK8S_SCHEMA_MIRROR: scratch('empty-mirror-'),
    CDK8S_MICROSERVICES_CACHE: scratch('empty-cache-'),
    CDK8S_SCHEMA_DOWNLOAD: 'off',
  });

  test('npm run synth', () => {
    const outdir = path.join(scratch('dist-'), 'dist');
    fs.cpSync(path.join(ROOT, 'dist'), outdir, { recursive: true });
    const before = readTree(outdir);
    const r = spawnSync(process.execPath, ['scripts/run.js', 'main.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...env(), DIST_DIR: outdir } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/synth failed; .*dist\/ left unchanged\nschema source kubernetes-swagger\.json .* is not available:/);
    expect(r.stderr).toContain('Provide it: put kubernetes-swagger.json into a mirror directory');
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  test('npm run validate', () => {
    const r = spawnSync(process.execPath, ['scripts/run.js', 'bin/validate.ts'], { cwd: ROOT, encoding: 'utf8', env: env() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^validate: schema source kubernetes-swagger\.json .* is not available:/);
  });
});
