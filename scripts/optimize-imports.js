// Rewrites two patterns in the classes `cdk8s import` generates, both of which copy an object once
// per field (quadratic in the number of fields):
// - every `toJson_*` converter drops undefined fields with
//   `Object.entries(result).reduce((r, i) => ... ({ ...r, [k]: v }), {})`: a quarter of rendering time at
//   1,000 services;
// - every map-typed field (labels, annotations, matchLabels, headers...) is copied with
//   `Object.entries(map).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: f(i[1]) }), {})`.
// The loops below build the same objects, keys in the same order. Run by `npm run import` after the
// generator; fails when neither pattern nor its rewrite is found, so a generator change is noticed
// rather than silently left slow.
const fs = require('fs');
const path = require('path');

const GENERATED = "  return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});";
const LOOP = [
  '  const filtered: Record<string, any> = {};',
  '  for (const key of Object.keys(result)) { const value = (result as Record<string, any>)[key]; if (value !== undefined) { filtered[key] = value; } }',
  '  return filtered;',
].join('\n');

// `Object.entries(<field>).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: <value of i[1]> }), {})`,
// where <value of i[1]> is an expression such as `i[1]`, `i[1]?.value`, `i[1]?.map(y => y)` or `toJson_X(i[1])`.
const GENERATED_MAP = /Object\.entries\(([^()]+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: ([^{}\n]*?) \}\), \{\}\)/g;
const MAP_HELPER = 'convertDefinedEntries';
const MAP_HELPER_SOURCE = `
/**
 * \`map\` without its undefined values, each other value passed through \`convert\`, keys in the same
 * order. Added by scripts/optimize-imports.js in place of the generator's reduce-with-spread, which
 * copied the map once per key.
 */
function ${MAP_HELPER}(map: Record<string, any>, convert: (value: any) => any): Record<string, any> {
  const converted: Record<string, any> = {};
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) { continue; }
    // As the spread did: \`__proto__\` becomes an own key, not the prototype.
    if (key === '__proto__') { Object.defineProperty(converted, key, { value: convert(value), enumerable: true, writable: true, configurable: true }); } else { converted[key] = convert(value); }
  }
  return converted;
}
`;

/** The generated value expression as a function of the value (`i[1]` → `v`). */
function mapValue(expression) {
  // The value is `any` here (it was typed by the map before); so are the parameters of inner callbacks.
  expression = expression.replace(/\((\w) => /g, "(($1: any) => ");
  if (!expression.includes('i[1]') || /\bv\b/.test(expression)) throw new Error(`unexpected map value expression: ${expression}`);
  return `(v) => ${expression.split('i[1]').join('v')}`;
}

const dir = path.join(__dirname, '..', 'imports');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
  const full = path.join(dir, file);
  let source = fs.readFileSync(full, 'utf8');
  const parts = source.split(GENERATED);
  const rewrittenBefore = source.includes(LOOP);
  if (parts.length === 1 && !rewrittenBefore) {
    throw new Error(`${file}: the generated undefined-filter was not found; has cdk8s import changed its output?`);
  }
  source = parts.join(LOOP);
  let maps = 0;
  source = source.replace(GENERATED_MAP, (_all, field, value) => {
    maps++;
    return `${MAP_HELPER}(${field}, ${mapValue(value)})`;
  });
  if (source.includes('Object.entries(') && source.includes('.reduce((r, i) =>')) {
    throw new Error(`${file}: a generated map copy was not recognized; has cdk8s import changed its output?`);
  }
  if (maps > 0 && !source.includes(`function ${MAP_HELPER}(`)) source = `${source.trimEnd()}\n${MAP_HELPER_SOURCE}`;
  fs.writeFileSync(full, source);
  console.log(`${file}: ${parts.length - 1} converters and ${maps} map copies rewritten`);
}
