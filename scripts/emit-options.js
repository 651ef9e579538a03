// How esbuild emits the project's JavaScript: the bundles entry points run from (scripts/bundle.js)
// and the compiled library the package ships (scripts/build-lib.js).
//
// Object spread is lowered to assignments. V8 in Node 20 gives each object built as a copy of
// another followed by more properties (`{ ...a, ...b }`, `{ ...a, key: value }`) a hidden class of
// its own, every time: the library builds most of its manifests that way (generated kinds spread
// their apiVersion/kind into their props; probes, labels, pod templates…), so a 1,000-service
// platform had ~25,000 single-use hidden classes, every property access on those objects missed
// V8's inline caches, and rendering took twice as long (bench/RESULTS.md). Objects filled by
// assignment share their hidden classes.

/** esbuild options (target and syntax to lower) shared by every build. */
const ESBUILD_OPTIONS = {
  target: 'node20',
  supported: { 'object-rest-spread': false },
};

// esbuild's helpers for lowered spread define every property, `{ ...a, key: value }` even through
// `Object.defineProperties` of the literal's descriptors: slower than assigning them, as TypeScript's
// lowering (`Object.assign`) does. Assigning differs from defining only where the target has a
// setter; for a new object that is `__proto__` alone, so a source with an own `__proto__` property
// (JSON.parse makes them) still goes through esbuild's exact helper. (Like TypeScript's lowering, a
// getter written in a literal after a spread is read, not copied: the project writes none.)
// Each is matched whatever esbuild named its parameters (it renames them around the module's own
// names), and replaced on its line (one line for one), so source maps still match.
const HELPERS = [
  {
    name: '__spreadValues',
    definition: /^var __spreadValues = \((\w+), (\w+)\) => \{$/m,
    replacement: (a, b) => `var __spreadValues = (${a}, ${b}) => ${b} != null && Object.hasOwn(${b}, "__proto__") ? __spreadDefining(${a}, ${b}) : Object.assign(${a}, ${b}), __spreadDefining = (${a}, ${b}) => {`,
  },
  {
    name: '__spreadProps',
    definition: /^var __spreadProps = \((\w+), (\w+)\) => __defProps\(\1, __getOwnPropDescs\(\2\)\);$/m,
    replacement: (a, b) => `var __spreadProps = (${a}, ${b}) => Object.hasOwn(${b}, "__proto__") ? __defProps(${a}, __getOwnPropDescs(${b})) : Object.assign(${a}, ${b});`,
  },
];

/**
 * `code` (esbuild's output with {@link ESBUILD_OPTIONS}) with its spread helpers assigning
 * properties. Throws when the code calls a helper whose definition is not the one expected (another
 * esbuild version): update the texts above.
 */
function withAssigningSpread(code) {
  let out = code;
  for (const { name, definition, replacement } of HELPERS) {
    if (!out.includes(`${name}(`)) continue;
    if (!definition.test(out)) throw new Error(`esbuild's ${name} helper is not the one scripts/emit-options.js replaces: update it`);
    out = out.replace(definition, (_, a, b) => replacement(a, b));
  }
  return out;
}

module.exports = { ESBUILD_OPTIONS, withAssigningSpread };
