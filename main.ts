// Entry point of `cdk8s synth` / `npm run synth`: synthesizes the default e-commerce platform
// into dist/<env>/ and dist/argocd/. The output goes through every check of `npm run validate`
// (schema, CRDs and their CEL rules, cross-references, policies) before it is written, and dist/
// is replaced in one step, so a failed synth leaves the previous dist/ as it was.
import * as path from 'path';
import { defaultOutdir, synthesizeDefaultApp } from './app/synthesize-default';
import { formatFinding } from './lib';

const outdir = defaultOutdir();
// The cdk8s CLI deletes its output directory before running the app, so cdk8s.yaml points it at a
// scratch directory; the files are mirrored there for the CLI's listing.
const cliOutdir = process.env.CDK8S_OUTDIR && path.resolve(process.env.CDK8S_OUTDIR) !== path.resolve(outdir)
  ? process.env.CDK8S_OUTDIR : undefined;

try {
  const result = synthesizeDefaultApp(outdir, cliOutdir);
  result.findings.forEach((f) => console.error(formatFinding(f)));
  console.error(`synthesized ${result.objectCount} objects (${result.bytes} bytes) into ${path.relative(process.cwd(), outdir) || '.'}/`);
  // Everything is written (synchronously); exiting now skips tearing down the heap and any worker
  // thread, which takes a tenth of a large synth.
  process.exit(0);
} catch (e) {
  console.error(`synth failed; ${path.relative(process.cwd(), outdir) || outdir}/ left unchanged\n${(e as Error).message}`);
  process.exit(1);
}
