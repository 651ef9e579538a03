// `npm run diff -- [<from>] [<to>] [--json]`
// What a sync of dist/ would change, per environment: objects added, removed and changed (field by
// field), and first the risks: fields the API server refuses to update, data loss, pods restarted,
// canary weight steps, access widened. Each side is a git ref (its committed dist/, read without a
// checkout), a directory, or omitted (from: HEAD; to: the working tree's dist/, synthesized first).
// Exit 0 when equal, 1 when different, 2 on error, like diff(1).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { defaultOutdir, synthesizeDefaultApp } from '../app/synthesize-default';
import { DistDiff, DistSourceError, DistTree, diffToJson, diffTrees, exportDistAtRef, formatDiff, groupByEnvironment, isGitRef, loadManifests } from '../lib';

const USAGE = `usage: npm run diff -- [<from>] [<to>] [--json]
  <from>, <to>: a git ref (its committed dist/) or a directory; default: HEAD and the working tree's dist/
  (synthesized first). Exit 0 when equal, 1 when different, 2 on error.`;

class DiffError extends Error {}

/** Reads one side into objects per environment. `temp` collects directories to remove afterwards. */
export function readSide(spec: string, distDir: string, temp: string[]): DistTree {
  let dir: string;
  if (fs.existsSync(spec) && fs.statSync(spec).isDirectory()) {
    dir = spec;
  } else if (isGitRef(distDir, spec)) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-diff-'));
    temp.push(dir);
    exportDistAtRef(distDir, spec, dir);
  } else {
    throw new DiffError(`"${spec}" is neither a directory nor a git ref of the repository holding ${distDir}`);
  }
  const { objects, parseErrors } = loadManifests([dir], { base: dir });
  if (parseErrors.length > 0) throw new DiffError(parseErrors.map((e) => `${spec}: ${e.file}: ${e.message}`).join('\n'));
  return groupByEnvironment(objects, path.basename(path.resolve(dir)));
}

/** Compares two sides (see the usage); `synthesize` produces the working tree's dist/ when `to` is omitted. */
export function compareSides(from: string | undefined, to: string | undefined, distDir: string, synthesize: (dir: string) => void = (d) => { synthesizeDefaultApp(d); }): { diff: DistDiff; from: string; to: string } {
  const temp: string[] = [];
  try {
    const fromSpec = from ?? 'HEAD';
    const before = readSide(fromSpec, distDir, temp);
    if (to === undefined) synthesize(distDir); // writes only files whose content changed
    const after = readSide(to ?? distDir, distDir, temp);
    return { diff: diffTrees(before, after), from: fromSpec, to: to ?? 'working tree' };
  } finally {
    for (const d of temp) fs.rmSync(d, { recursive: true, force: true });
  }
}

export function main(argv: string[]): number {
  let values: { json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    console.error(`diff: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 2) {
    console.error(`diff: at most two sides, got ${positionals.length}\n${USAGE}`);
    return 2;
  }
  try {
    const { diff, from, to } = compareSides(positionals[0], positionals[1], defaultOutdir());
    if (values.json) {
      console.log(JSON.stringify(diffToJson(diff, from, to), null, 2));
    } else {
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      console.log(`dist/ ${from} → ${to}`);
      console.log(formatDiff(diff, { color }));
    }
    return diff.equal ? 0 : 1;
  } catch (e) {
    if (e instanceof DiffError || e instanceof DistSourceError) {
      console.error(`diff: ${e.message}`);
      return 2;
    }
    console.error(`diff: ${(e as Error).stack ?? e}`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
