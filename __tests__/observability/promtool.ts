import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { PrometheusRuleGroup } from '../../lib';

/** promtool (Debian's `prometheus` package), if installed. */
export function promtoolBinary(): string | undefined {
  for (const candidate of [process.env.PROMTOOL_BIN, '/usr/bin/promtool']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('which', ['promtool'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `describe`, or `describe.skip` with a notice when promtool is missing; with REQUIRE_PROMETHEUS
 * set (CI) a missing promtool fails instead.
 */
export function promtoolSuite(what: string): jest.Describe {
  if (promtoolBinary()) return describe;
  if (process.env.REQUIRE_PROMETHEUS) throw new Error('REQUIRE_PROMETHEUS is set but no promtool binary was found (apt-get install prometheus)');
  console.warn(`${what} SKIPPED: no promtool binary (apt-get install prometheus)`);
  return describe.skip;
}

/** Writes `groups` as a rule file into a scratch directory; returns its path. */
export function writeRuleFile(groups: PrometheusRuleGroup[], dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'))): string {
  const file = path.join(dir, 'rules.yaml');
  fs.writeFileSync(file, yaml.dump({ groups }, { lineWidth: -1, noRefs: true }));
  return file;
}

/** `promtool check rules <file>`. */
export function checkRules(file: string): { status: number | null; output: string } {
  const r = spawnSync(promtoolBinary()!, ['check', 'rules', file], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

/** `promtool test rules` of `tests` (promtool's unit-test entries) against `groups`. */
export function testRules(groups: PrometheusRuleGroup[], tests: unknown[]): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  writeRuleFile(groups, dir);
  const testFile = path.join(dir, 'tests.yaml');
  fs.writeFileSync(testFile, yaml.dump({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }, { lineWidth: -1, noRefs: true }));
  const r = spawnSync(promtoolBinary()!, ['test', 'rules', testFile], { encoding: 'utf8', cwd: dir });
  return { status: r.status, output: r.stdout + r.stderr };
}
