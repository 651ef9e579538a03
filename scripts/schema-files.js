#!/usr/bin/env node
// `node scripts/schema-files.js <outdir> [<file name>...]`: writes the pinned upstream schema files
// (all, or those named) into <outdir>, each verified against its SHA-256. They come from the cache,
// a mirror directory (cdk8s-microservices.yaml `schemaMirrors`, CDK8S_SCHEMA_MIRROR) or their upstream
// URL, as for validation (lib/schemas). Used by `npm run import`; the files are never committed.
require('./swc-register');
const fs = require('fs');
const path = require('path');
const { BUILTIN_SCHEMA_SOURCES } = require('../lib/schemas/schema-sources.ts');
const { SchemaSourceResolver } = require('../lib/schemas/source-resolver.ts');
const { loadValidationConfig } = require('../lib/validation/validation-config.ts');
const { defaultCacheDir } = require('../lib/core/cache-dir.ts');

const [outdir, ...names] = process.argv.slice(2);
if (!outdir) {
  console.error('usage: node scripts/schema-files.js <outdir> [<file name>...]');
  process.exit(2);
}
const root = path.join(__dirname, '..');
const { schemas } = loadValidationConfig(root);
const resolver = new SchemaSourceResolver({ mirrors: schemas.schemaMirrors, cacheDir: defaultCacheDir() });
const wanted = names.length > 0 ? names : BUILTIN_SCHEMA_SOURCES.map((s) => s.fileName);
fs.mkdirSync(outdir, { recursive: true });
try {
  for (const name of wanted) {
    const source = BUILTIN_SCHEMA_SOURCES.find((s) => s.fileName === name);
    if (!source) throw new Error(`no pinned schema source named ${name}`);
    fs.writeFileSync(path.join(outdir, name), resolver.read(source));
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
