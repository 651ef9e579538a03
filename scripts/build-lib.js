#!/usr/bin/env node
// `npm run build` (run by `npm pack`): the compiled library the package ships, build/lib and
// build/imports. tsc type-checks and compiles it and writes its declarations; esbuild then emits
// each JavaScript file again with the project's emit options (scripts/emit-options.js), so that a
// consumer's app runs the library as the project's own entry points run it.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ESBUILD_OPTIONS, withAssigningSpread } = require('./emit-options');

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, 'build');

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { cwd: ROOT, stdio: 'inherit' });

const esbuild = require('esbuild');
for (const dir of ['lib', 'imports']) {
  for (const name of fs.readdirSync(path.join(BUILD, dir), { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(BUILD, dir, name);
    const { code } = esbuild.transformSync(fs.readFileSync(file, 'utf8'), { ...ESBUILD_OPTIONS, loader: 'js', sourcefile: path.relative(ROOT, file) });
    fs.writeFileSync(file, withAssigningSpread(code));
  }
}
