// Shortens the wasm's import and export names and rewrites the wasm-bindgen glue (target web) to
// match. wasm-bindgen names imports like `__wbg_call_40b008ba32f73991` and closure exports like
// `wasm_bindgen_<hash>___convert__closures_____invoke___u32__f64__f64__...`: the hashes do not
// compress, and every name is stored twice (wasm and JS). Measured: -1.1 KB brotli of wasm.
//
// Usage: node scripts/minify-glue.mjs <glue.js> <module.wasm>
//   runs `wasm-opt --minify-imports-and-exports-and-modules` on the wasm (in place), then edits
//   the glue: the keys of its import object, the module names it hands to the instance, and
//   every `wasm.<export>` use. It fails loudly if the glue does not have the expected shape, so
//   a wasm-bindgen upgrade that changes it breaks the build rather than the shop.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const [gluePath, wasmPath] = process.argv.slice(2);
const fail = (why) => {
  console.error(`minify-glue: ${why}`);
  process.exit(1);
};
const features = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
const out = execFileSync(
  "wasm-opt",
  [...features.map((f) => `--enable-${f}`), "--minify-imports-and-exports-and-modules", wasmPath, "-o", wasmPath],
  { encoding: "utf8" },
);
const map = JSON.parse(out.slice(out.indexOf("{"), out.lastIndexOf("}") + 1));
const modules = [...new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module))];
if (modules.length !== 1) fail(`expected one import module after minifying, found ${modules.length}`);

let glue = readFileSync(gluePath, "utf8");
// The object the instance receives: `return { __proto__: null, "<module>": importN, ... };`
const ret = /return \{\s*__proto__: null,\s*((?:"[^"]+": import\d+,\s*)+)\};/.exec(glue);
if (!ret) fail("the glue's import object was not found");
const alias = {};
for (const m of ret[1].matchAll(/"([^"]+)": (import\d+)/g)) alias[m[1]] = m[2];
const own = Object.keys(alias).find((k) => alias[k] === "import0");
if (!own) fail("the glue's own import module (import0) was not found");

const extra = [];
for (const [module, name, short] of map.imports) {
  if (!(module in alias)) fail(`import module ${module} unknown to the glue`);
  if (module === own) {
    const key = new RegExp(`(^|[\\s{,])${name}(\\s*:)`, "m");
    if (!key.test(glue)) fail(`import ${name} not found in the glue`);
    glue = glue.replace(key, (_, pre, colon) => `${pre}${short}${colon}`);
  } else {
    extra.push(`${short}: ${alias[module]}.${name}`);
  }
}
glue = glue.replace(ret[0], () => `return { __proto__: null, ${JSON.stringify(modules[0])}: Object.assign(import0, { ${extra.join(", ")} }) };`);

for (const [name, short] of map.exports) {
  glue = glue.replace(new RegExp(`\\bwasm\\.${name}\\b`, "g"), () => `wasm.${short}`);
}
const left = [...glue.matchAll(/\bwasm\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]).filter((n) => !map.exports.some(([, s]) => s === n));
if (left.length) fail(`exports used by the glue but not renamed: ${[...new Set(left)].join(", ")}`);
writeFileSync(gluePath, glue);
console.log(`minify-glue: ${map.imports.length} imports and ${map.exports.length} exports renamed`);
