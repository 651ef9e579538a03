#!/usr/bin/env node
// Copies the upstream schemas this project validates against from ../shared into schemas/,
// so that the project builds and tests without ../shared. Run by hand when upgrading a
// Kubernetes, Istio, KEDA, VPA, External Secrets, Sealed Secrets or Flagger release.
const fs = require('fs');
const path = require('path');

const shared = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared');
const target = path.join(__dirname, '..', 'schemas');

fs.mkdirSync(path.join(target, 'crds'), { recursive: true });
for (const file of fs.readdirSync(path.join(shared, 'crds')).sort()) {
  fs.copyFileSync(path.join(shared, 'crds', file), path.join(target, 'crds', file));
  fs.chmodSync(path.join(target, 'crds', file), 0o644);
}

// Only the definitions matter for validation and code generation; the paths section is 3/4 of the file.
const swagger = JSON.parse(fs.readFileSync(path.join(shared, 'schemas', 'kubernetes-swagger.json'), 'utf8'));
const definitions = { info: swagger.info, definitions: swagger.definitions };
fs.writeFileSync(path.join(target, 'kubernetes-definitions.json'), JSON.stringify(definitions) + '\n');
console.log(`schemas/ updated from ${shared}`);
