import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifests } from '../../lib';

// `npm run validate` flags values that YAML 1.1 readers (kubectl, Argo CD) read differently.

function load(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-yaml11-'));
  fs.writeFileSync(path.join(dir, 'cm.yaml'), text);
  return loadManifests([dir], { base: dir, compareYaml11: true });
}

const CONFIG_MAP = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n  namespace: shop\ndata:\n${data}`;

describe('validate: yaml/1.1', () => {
  test('value: 10_000 is flagged with its path; the object still loads as YAML 1.2 reads it', () => {
    const { objects, parseErrors } = load(CONFIG_MAP('  value: 10_000\n  quoted: "10_000"\n  name: hello\n'));
    expect(objects[0].manifest.data).toEqual({ value: '10_000', quoted: '10_000', name: 'hello' });
    expect(parseErrors).toEqual([{
      file: 'cm.yaml',
      object: 'ConfigMap/shop/limits',
      path: 'data.value',
      message: 'read as the number 10000 by YAML 1.1 (kubectl, Argo CD) but as the string "10_000" by YAML 1.2; quote it where a string is meant',
      severity: 'error',
      check: 'yaml/1.1',
    }]);
  });

  test.each([
    ['  enabled: on\n', 'data.enabled', 'the boolean true'],
    ['  mode: 0755\n', 'data.mode', 'the number 493'],
    ['  day: 2001-1-2\n', 'data.day', 'the timestamp 2001-01-02T00:00:00.000Z'],
    ['  time: 1:30\n', 'data.time', 'the number 90'],
    ['  list:\n  - 0b1_0\n', 'data.list[0]', 'the number 2'],
    ['  "quoted key": 10_000 # a comment\n', 'data.quoted key', 'the number 10000'],
    ["  'it''s': +.5\n", "data.it's", 'the number 0.5'],
    ['  flow: {a: 0x_1F}\n', 'data.flow.a', 'the number 31'],
    ['  - a\n  - [yes]\n', 'data[1][0]', 'the boolean true'],
  ])('%j is flagged at %s (read as %s)', (data, at, as11) => {
    const { parseErrors } = load(CONFIG_MAP(data));
    expect(parseErrors.map((f) => [f.path, f.check, f.severity])).toEqual([[at, 'yaml/1.1', 'error']]);
    expect(parseErrors[0].message).toContain(`read as ${as11} by YAML 1.1`);
  });

  test('a key YAML 1.1 reads as another key is flagged', () => {
    const { parseErrors } = load(CONFIG_MAP('  on: x\n'));
    expect(parseErrors.map((f) => [f.path, f.check])).toEqual([['data.on', 'yaml/1.1']]);
  });

  test('quoted strings, numbers both read alike, and multi-document files pass', () => {
    const { objects, parseErrors } = load(`${CONFIG_MAP("  a: '10_000'\n  b: 'on'\n")}\n---\n${CONFIG_MAP('  port: "8080"\n  version: 1.2.3\n')}`);
    expect(objects).toHaveLength(2);
    expect(parseErrors).toEqual([]);
  });

  test('block scalars are text (a dashboard\'s JSON, a script): only what follows them is read as values', () => {
    const json = '  dashboard.json: |\n    {\n      "panels": [{ "id": 1 }],\n      "on": yes\n    }\n';
    expect(load(CONFIG_MAP(json)).parseErrors).toEqual([]);
    const { parseErrors } = load(CONFIG_MAP(`${json}  enabled: on\n`));
    expect(parseErrors.map((f) => [f.path, f.check])).toEqual([['data.enabled', 'yaml/1.1']]);
  });
});
