// Every word of the language's pest grammar (grammar/perf.pest: keywords,
// the words of unit, polarity, cadence, ratings, months, ...) must appear
// as a word in the TextMate grammar, so that a keyword added to the
// language and forgotten here fails the editor test.
//
//   node test/keywords-known.mjs ../../grammar/perf.pest

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pestPath = process.argv[2];
if (!pestPath) {
  console.error("usage: node test/keywords-known.mjs PATH/TO/perf.pest");
  process.exit(2);
}

// The words of the pest grammar: string literals of two or more letters
// (`^"april"` is case-insensitive in pest; the case does not matter here).
const pest = readFileSync(pestPath, "utf8")
  .split("\n")
  .filter((line) => !line.trimStart().startsWith("//"))
  .join("\n");
const words = new Set();
for (const [, word] of pest.matchAll(/\^?"([a-z][a-z-]+)"/gi)) {
  words.add(word.toLowerCase());
}
if (words.size < 30) {
  console.error(`only ${words.size} words found in ${pestPath}: is it the grammar?`);
  process.exit(1);
}

// The alternatives written in the TextMate grammar's regular expressions.
const grammar = readFileSync(join(here, "..", "syntaxes", "perf.tmLanguage.json"), "utf8");
const known = new Set();
for (const [, word] of grammar.matchAll(/(?<=[(|:])([a-z][a-z-]+)(?=[|)])/gi)) {
  known.add(word.toLowerCase());
}
// Phrases matched as two words: `red beyond`.
for (const [, word] of grammar.matchAll(/\[ \\\\t\]\+\((\w+)\)/g)) {
  known.add(word.toLowerCase());
}

const missing = [...words].filter((word) => !known.has(word)).sort();
if (missing.length > 0) {
  console.error(`words of ${pestPath} the TextMate grammar does not know: ${missing.join(", ")}`);
  process.exit(1);
}
console.log(`all ${words.size} words of ${pestPath} are in the TextMate grammar`);
