import * as yaml from 'js-yaml';

/*
 * js-yaml writes YAML 1.2, where `10_000`, `0b1_0`, `+.5` or `2001-1-2` are plain strings and need
 * no quotes. kubectl, the API server's YAML path and Argo CD read YAML with 1.1 rules (go-yaml v2,
 * sigs.k8s.io/yaml), where they are numbers or timestamps: a ConfigMap value written so is refused
 * ("expected string, got 10000"). Every string a YAML 1.1 reader would resolve to something else
 * must therefore be quoted. js-yaml already quotes what YAML 1.2 resolves (true, null, 0x1F, 1e3,
 * 2001-12-14 ...) and, in its compatibility mode, yes/no/on/off/y/n and sexagesimal numbers; the
 * rules below add what YAML 1.1 (https://yaml.org/type/) and go-yaml v2 resolve on top of that.
 */

/** Words YAML 1.1 resolves to a boolean, null, infinity/NaN, or the merge/value keys. */
const WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '~', 'null', 'Null', 'NULL',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN',
  '<<', '=',
]);

/**
 * Integers and floats as YAML 1.1 and go-yaml v2 read them: `_` anywhere among the digits,
 * binary `0b`, octal `0...` (and Go's `0o`), hex `0x`, sexagesimal `1:30`, floats with or without
 * digits around the point (`.5`, `1.`), exponents with or without a sign (go-yaml reads `1e3`).
 * A string such as `1.2.3` is not a number to any 1.1 reader, and stays plain.
 */
const NUMBER = new RegExp('^[-+]?(?:'
  + '0[bB][01_]+'
  + '|0[oO]?[0-7_]+'
  + '|0[xX][0-9a-fA-F_]+'
  + '|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?'
  // The 1.1 float patterns leave the digits around the point optional: `.`, `.e1` and even `e5`
  // are floats to the `yaml` package's 1.1 schema.
  + '|\\.[0-9_]*(?:[eE][-+]?[0-9]+)?'
  + '|[eE][-+]?[0-9]+'
  + ')$');

/** YAML 1.1 timestamps; go-yaml also takes one-digit months and days in a bare date (`2001-1-2`). */
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

/**
 * True when a YAML 1.1 reader (the YAML 1.1 type repository, go-yaml v2 as used by kubectl and
 * Argo CD) would read `text`, written as a plain scalar, as something other than that string.
 */
export function isYaml11NonString(text: string): boolean {
  if (text.length === 0) return true; // an empty plain scalar is null
  if (WORDS.has(text)) return true;
  const first = text.charCodeAt(0);
  // Every number and timestamp starts with a digit, a sign, a point or an exponent: a few comparisons rule out most strings.
  const numeric = (first >= 48 && first <= 57) || first === 43 /* + */ || first === 45 /* - */ || first === 46 /* . */
    || first === 101 /* e */ || first === 69 /* E */;
  return numeric && (NUMBER.test(text) || TIMESTAMP.test(text));
}

/**
 * A type that never represents a value (it has neither `instanceOf` nor `predicate`), only tells
 * the dumper which strings are ambiguous: js-yaml quotes a string when any implicit type of its
 * schema resolves it, so the YAML 1.1 forms are quoted and every other string is written exactly as
 * before.
 */
const YAML_1_1_NON_STRING = new yaml.Type('tag:cdk8s-microservices.io,2026:yaml-1.1-non-string', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && isYaml11NonString(data),
});

/** js-yaml's default schema, plus the YAML 1.1 forms to quote when dumping. Only for `dump`. */
export const YAML_1_1_SAFE_SCHEMA = yaml.DEFAULT_SCHEMA.extend({ implicit: [YAML_1_1_NON_STRING] });

/** This module's file: its code is part of the YAML cache's key. */
export const YAML_1_1_MODULE = __filename;
