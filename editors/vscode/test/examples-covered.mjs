// Every token of every .perf file given (the project's examples) must be
// recognised by the grammar: a run of non-blank characters that gets no
// scope but `source.perf` is a construct the grammar does not know, and it
// would show uncoloured in the editor.
//
//   node test/examples-covered.mjs FILE...

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = dirname(fileURLToPath(import.meta.url));
const grammarPath = join(here, "..", "syntaxes", "perf.tmLanguage.json");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node test/examples-covered.mjs FILE...");
  process.exit(2);
}

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === "source.perf"
      ? vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath)
      : null,
});
const grammar = await registry.loadGrammar("source.perf");

let unrecognised = 0;
let tokens = 0;
for (const file of files) {
  const lines = readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
  let state = vsctm.INITIAL;
  lines.forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const text = line.slice(token.startIndex, token.endIndex);
      if (text.trim() === "") continue;
      tokens += 1;
      if (token.scopes.length === 1) {
        unrecognised += 1;
        console.error(`${file}:${index + 1}:${token.startIndex + 1}: not recognised: ${JSON.stringify(text.trim())}`);
      }
    }
    state = result.ruleStack;
  });
  // Every begin/end rule the file opened must be closed at its end.
  if (state.depth !== 1) {
    unrecognised += 1;
    console.error(`${file}: the grammar is still inside a rule at the end of the file (depth ${state.depth})`);
  }
}

if (unrecognised > 0) {
  console.error(`${unrecognised} unrecognised token(s)`);
  process.exit(1);
}
console.log(`every token recognised: ${tokens} tokens in ${files.length} file(s)`);
