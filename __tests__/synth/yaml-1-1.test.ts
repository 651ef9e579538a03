import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { isYaml11NonString, YAML_1_1_MODULE } from '../../lib/synth/yaml-1-1';
import { codeVersion, dumpManifest } from '../../lib/synth/yaml-cache';

// kubectl and Argo CD read YAML with 1.1 rules (go-yaml v2). The writer quotes every string such a
// reader would take for something else; the 1.1 reading of the output is then the 1.2 reading.

const read11 = (text: string) => parseYaml(text, { version: '1.1' });
const read12 = (text: string) => yaml.load(text);

/** One string per YAML 1.1 scalar form that is a plain string in YAML 1.2 (or that js-yaml already quoted). */
const FORMS: Array<[string, string[]]> = [
  ['underscored integer', ['10_000', '2024_10', '1_', '-1_000', '+1_0']],
  ['underscored float', ['1_000.5', '685.230_15e+03']],
  ['sexagesimal integer', ['1:30', '190:20:30', '-1:30']],
  ['sexagesimal float', ['1:30.5', '190:20:30.15']],
  ['boolean words', ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']],
  ['boolean true/false', ['true', 'True', 'TRUE', 'false', 'False', 'FALSE']],
  ['null', ['~', 'null', 'Null', 'NULL', '']],
  ['infinity and NaN', ['.inf', '.Inf', '.INF', '+.inf', '-.Inf', '.nan', '.NaN', '.NAN']],
  ['binary', ['0b1010', '-0b11', '0b1_0']],
  ['octal', ['017', '0755', '0_7', '0o17']],
  ['hexadecimal', ['0x1F', '0x_1F', '-0xff']],
  ['float', ['1e3', '1E3', '1e+3', '1.0e+3', '.5', '+.5', '1.', '6.8523015e+5', '0.1', '.', '.e1', 'e5', '-E2']],
  ['signed integer', ['+1', '-1', '+0', '08']],
  ['timestamp', ['2001-12-14', '2001-1-2', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43Z']],
  ['value key', ['=']],
  ['merge key', ['<<']],
];

describe('YAML 1.1-safe writer', () => {
  test.each(FORMS)('%s: quoted, and read back as the same string by YAML 1.1 and 1.2', (_form, strings) => {
    for (const s of strings) {
      const manifest = { data: { value: s, [s || 'empty']: 'key' }, list: [s] };
      const out = dumpManifest(manifest);
      expect(isYaml11NonString(s)).toBe(true);
      expect(out).toMatch(new RegExp(`^ {2}value: (?:'${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'|"[^"]*")$`, 'm'));
      expect(read12(out)).toEqual(manifest);
      expect(read11(out)).toEqual(manifest);
    }
  });

  test('every other string is written as before (plain), so output stays byte-identical', () => {
    const plain = ['1.2.3', 'v1', 'user-service', 'tRUE', 'yES', 'onn', '8080abc', '_1', 'a:b', '10.0.0.1', '1-2', '2001-12', 'Asia/Tokyo', '-', '+', 'e', 'e1x', '..', 'http://x:80/a', '0xZZ', '1e', '12:60'];
    for (const s of plain) {
      expect([s, isYaml11NonString(s)]).toEqual([s, false]);
      const out = dumpManifest({ value: s });
      expect(out).toBe(yaml.dump({ value: s }, { noRefs: true, lineWidth: -1 }));
      expect(read11(out)).toEqual({ value: s });
    }
  });

  test('numbers, booleans and null are still written as such', () => {
    const manifest = { port: 8080, ratio: 0.5, on: true, none: null, big: 10000 };
    expect(dumpManifest(manifest)).toBe('port: 8080\nratio: 0.5\n\'on\': true\nnone: null\nbig: 10000\n');
  });

  test('the YAML cache key changes with the YAML 1.1 schema module', () => {
    const before = codeVersion();
    jest.isolateModules(() => {
      const actual = jest.requireActual('fs');
      jest.doMock('fs', () => ({ ...actual, readFileSync: (file: any, ...rest: any[]) => (file === YAML_1_1_MODULE ? 'changed writer' : actual.readFileSync(file, ...rest)) }));
      const { codeVersion: changed } = require('../../lib/synth/yaml-cache');
      expect(changed()).not.toBe(before);
    });
    expect(codeVersion()).toBe(before);
  });

  test('every file of the committed dist/ reads the same with YAML 1.1 as with YAML 1.2', () => {
    const dist = path.join(__dirname, '..', '..', 'dist');
    const files: string[] = [];
    const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') && files.push(path.join(dir, e.name)));
    walk(dist);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const docs11 = parseAllDocuments(text, { version: '1.1' });
      if (!Array.isArray(docs11)) throw new Error(`${file}: no documents`);
      expect(docs11.flatMap((d) => d.errors)).toEqual([]);
      expect({ file, docs: docs11.map((d) => d.toJS()) }).toEqual({ file, docs: yaml.loadAll(text) });
    }
  });
});

describe('YAML embedded in ConfigMap values is 1.1-safe too', () => {
  // The ConfigMap's value is a YAML document a service parses; an application reading it with a
  // YAML 1.1 library (go-yaml v2, PyYAML, SnakeYAML) must get the strings the config declared.
  const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
  const { ServiceConfigMap } = require('../../lib') as typeof import('../../lib');

  test('a file-mode config quotes strings a 1.1 reader would take for numbers, booleans or dates', () => {
    const chart = new Chart(new App(), 'c');
    new ServiceConfigMap(chart, 'config', {
      serviceName: 'order-service', labels: { app: 'order-service' }, mountAs: 'file',
      data: { batch: '10_000', enabled: 'on', since: '2024-10-01', mode: '0755', port: 5000 },
    });
    const text: string = chart.toJson()[0].data['config.yaml'];
    const as11 = parseYaml(text, { version: '1.1' });
    expect(as11).toEqual({ batch: '10_000', enabled: 'on', mode: '0755', port: 5000, since: '2024-10-01' });
    expect(yaml.load(text)).toEqual(as11);
  });
});
