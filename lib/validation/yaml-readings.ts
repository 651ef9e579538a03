import { Finding, objectRef } from './finding';
import { isYaml11NonString } from '../synth/yaml-1-1';

/**
 * Values that a YAML 1.1 reader (kubectl, the API server, Argo CD: go-yaml v2) reads differently
 * from this YAML 1.2 reading, e.g. `value: 10_000` (the string "10_000" in 1.2, the integer 10000 in
 * 1.1), `enabled: on`, `mode: 0755`: one finding per differing value or key, with its path. The 1.1
 * reading is that of the `yaml` package with `version: '1.1'`.
 */
export function yaml11Differences(file: string, text: string, docs12: readonly unknown[]): Finding[] {
  if (!mayReadDifferently(text)) return [];
  // Loaded only when a file may read differently: the package costs 40 ms to load, on every synth otherwise.
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const docs11 = parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(docs11)) return [];
  const findings: Finding[] = [];
  docs11.forEach((doc, i) => {
    if (doc.errors.length > 0 || i >= docs12.length) return; // not comparable; js-yaml's reading stands
    const object = docs12[i] !== null && typeof docs12[i] === 'object' ? objectRef(docs12[i]) : '-';
    const report = (at: string, message: string) => findings.push({ file, object, path: at || '(root)', message, severity: 'error', check: 'yaml/1.1' });
    compare(docs12[i], doc.toJS({ maxAliasCount: -1 }), '', report);
  });
  return findings;
}

/** Plain scalars both versions read alike: decimal numbers, true/false, null. */
const SAME_IN_BOTH = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|)$/;

/**
 * A cheap look at the text, line by line, before the `yaml` package's parse (ten times slower
 * than js-yaml): false when no plain key or value could read differently in YAML 1.1 — the case of
 * every file this project writes. Flow collections, anchors and tags are left to the parser.
 */
function mayReadDifferently(text: string): boolean {
  // Inside a block scalar (`key: |` and the lines indented deeper): text, never read as keys or values.
  let blockIndent = -1;
  for (const raw of text.split('\n')) {
    const indent = raw.length - raw.trimStart().length;
    if (blockIndent >= 0) {
      if (raw.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    let line = raw.trim();
    while (line.startsWith('- ') || line === '-') line = line.slice(2).trimStart();
    if (line === '' || line.startsWith('#') || line === '---' || line === '...') continue;
    if (line.startsWith('? ') || line.startsWith('--- ')) return true;
    let value = line;
    if (line[0] === '"' || line[0] === "'") {
      const quotedKey = QUOTED_KEY.exec(line);
      if (quotedKey) value = quotedKey[1].trim(); // the value after a quoted key; a quoted value is done
    } else {
      const colon = line.endsWith(':') ? line.length - 1 : line.indexOf(': ');
      if (colon >= 0) {
        if (isDifferent(line.slice(0, colon).trimEnd())) return true;
        value = line.slice(colon + 1).trim();
      }
    }
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment).trimEnd();
    if (/^[|>][-+0-9]*$/.test(value)) {
      blockIndent = indent;
      continue;
    }
    if (value === '{}' || value === '[]' || /^["'|>]/.test(value)) continue;
    if (/^[[{&*!]/.test(value)) return true;
    if (isDifferent(value)) return true;
  }
  return false;
}

const QUOTED_KEY = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*:(?:[ \t]+(.*))?$/;

function isDifferent(plain: string): boolean {
  return isYaml11NonString(plain) && !SAME_IN_BOTH.test(plain);
}

function compare(v12: unknown, v11: unknown, at: string, report: (path: string, message: string) => void): void {
  if (isMapping(v12) && isMapping(v11)) {
    const keys11 = new Set(Object.keys(v11));
    for (const key of Object.keys(v12)) {
      const child = at ? `${at}.${key}` : key;
      if (keys11.has(key)) compare(v12[key], v11[key], child, report);
      else report(child, `the key ${JSON.stringify(key)} is read as another key by YAML 1.1 (kubectl, Argo CD); quote it`);
    }
  } else if (Array.isArray(v12) && Array.isArray(v11) && v12.length === v11.length) {
    v12.forEach((item, i) => compare(item, v11[i], `${at}[${i}]`, report));
  } else if (!sameScalar(v12, v11)) {
    report(at, `read as ${describe(v11)} by YAML 1.1 (kubectl, Argo CD) but as ${describe(v12)} by YAML 1.2; quote it where a string is meant`);
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b);
}

function describe(v: unknown): string {
  if (v instanceof Date) return `the timestamp ${v.toISOString()}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return Array.isArray(v) ? 'a sequence' : 'a mapping';
  return `the ${typeof v} ${String(v)}`;
}

