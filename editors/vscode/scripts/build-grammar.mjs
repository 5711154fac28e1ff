// Writes syntaxes/perf.tmLanguage.json, the TextMate grammar of the .perf
// language (the language reference is docs/language.md).
//
//   node scripts/build-grammar.mjs           # write the grammar
//   node scripts/build-grammar.mjs --check   # fail if the committed file differs
//
// The grammar is built here from named pieces (an id, a period, a value)
// because the same pieces recur in many rules, and regular expressions
// copied by hand into JSON drift apart. The JSON file is committed so that
// the extension packages without running this script.
//
// How the grammar tells periods from values: `2017/18` may be a fiscal year
// or the fraction 2017 ÷ 18, and `2011` a calendar year or a number. Only
// the position decides, so a keyword that takes a period (`target`,
// `actual`, `status`, ...) opens a rule that reads one period and then ends;
// inside an `actual { ... }` block each row is a rule that starts at its
// period and ends at its value. Everything else is recognised on its own.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "syntaxes", "perf.tmLanguage.json");

// --- Pieces ---------------------------------------------------------------

/** The characters that may continue an identifier. */
const ID_CHAR = "\\p{L}\\p{N}_.\\-";
/** Not preceded / followed by an identifier character. */
const B = `(?<![${ID_CHAR}])`;
const E = `(?![${ID_CHAR}])`;
/** A keyword: the whole word, so `year` is not found in `year-start`. */
const word = (alternatives) => `${B}(${alternatives})${E}`;

/** A measure or action id: a letter or digit, then letters, digits, `_`,
 *  `-`, `.`, not ending in `.` or `-` (`CS02`, `adult.care.7`, `1.1.2.PI`). */
const ID = `[\\p{L}\\p{N}](?:[${ID_CHAR}]*[\\p{L}\\p{N}_])?`;

const DIGITS = "\\d+(?:_\\d+)*";
const MONTH = "(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)";
const MONTH_NAME =
  "(?i:january|february|march|april|may|june|july|august|september|october|november|december)";
const RAG = "green|amber|red|none";

/** A period: `2017/18`, `2017/18 Q1`, `2017/18 Apr`, or a calendar year
 *  `2011`. Captures: fiscal (or academic) year, quarter, month, calendar
 *  year. */
const PERIOD = `${B}(?:(\\d+/\\d+)${E}(?:[ \\t]+(?:([Qq]\\d+)|(${MONTH}))${E})?|(\\d{4})${E}(?!/))`;
const periodCaptures = (first) => ({
  [first]: { name: "constant.numeric.year.perf" },
  [first + 1]: { name: "support.constant.quarter.perf" },
  [first + 2]: { name: "support.constant.month.perf" },
  [first + 3]: { name: "constant.numeric.year.calendar.perf" },
});
const PERIOD_GROUPS = 4;

/** A value: `95`, `-1.5`, `24_500`, `83%`, `5pp`, `50/66`. Captures: the
 *  number, the fraction's slash, its denominator, `%`, `pp`. */
const VALUE = `${B}([+-]?${DIGITS}(?:\\.${DIGITS})?)(?:(/)(${DIGITS}(?:\\.${DIGITS})?))?(?:(%)|(pp))?${E}`;
const valueCaptures = (first) => ({
  [first]: { name: "constant.numeric.decimal.perf" },
  [first + 1]: { name: "punctuation.separator.fraction.perf" },
  [first + 2]: { name: "constant.numeric.decimal.denominator.perf" },
  [first + 3]: { name: "keyword.other.unit.percent.perf" },
  [first + 4]: { name: "keyword.other.unit.percentage-points.perf" },
});
const VALUE_GROUPS = 5;

/** Ends a "a period comes next" rule without consuming anything: the next
 *  token is something else (a comment's `/` and the listed characters are
 *  left to the rule's own patterns). */
const notA = (also = "") => `(?=[^\\s/${also}])`;

const captures = (...names) =>
  Object.fromEntries(names.map((name, i) => [String(i + 1), { name }]));

const keyword = (name) => `keyword.other.${name}.perf`;

// --- Rules ----------------------------------------------------------------

const repository = {
  comment: {
    name: "comment.line.double-slash.perf",
    match: "(//).*$",
    captures: captures("punctuation.definition.comment.perf"),
  },

  string: {
    name: "string.quoted.double.perf",
    begin: '"',
    beginCaptures: { 0: { name: "punctuation.definition.string.begin.perf" } },
    // A string ends on its own line; an unclosed one stops at the line end.
    end: '(")|$',
    endCaptures: captures("punctuation.definition.string.end.perf"),
    patterns: [
      { name: "constant.character.escape.perf", match: '\\\\["\\\\n]' },
      { name: "invalid.illegal.unknown-escape.perf", match: "\\\\." },
    ],
  },

  declaration: {
    patterns: [
      {
        // `measure ID "Title" {` and `action ID "Title" {`
        match: `${word("measure|action")}(?:[ \\t]+(${ID})${E})?`,
        captures: {
          1: { name: "storage.type.$1.perf" },
          2: { name: "entity.name.function.$1.perf" },
        },
      },
      {
        match: word("report|group|defaults"),
        captures: { 1: { name: "storage.type.$1.perf" } },
      },
      {
        match: word("include"),
        captures: captures("keyword.control.import.include.perf"),
      },
    ],
  },

  setting: {
    patterns: [
      {
        // `unit percent`, `unit money "£m"`, `unit "free text"`
        match: `${word("unit")}(?:[ \\t]+(?:(percent-change|percent|count|number|days)|(money))${E})?`,
        captures: captures(keyword("unit"), "constant.language.unit.perf", "constant.language.unit.money.perf"),
      },
      {
        match: `${word("polarity")}(?:[ \\t]+(higher|lower|target|none|tbc)${E})?`,
        captures: captures(keyword("polarity"), "constant.language.polarity.perf"),
      },
      {
        match: `${word("cadence")}(?:[ \\t]+(quarterly|monthly|annual)${E})?`,
        captures: captures(keyword("cadence"), "constant.language.cadence.perf"),
      },
      {
        // `year calendar | academic | financial`
        match: `${word("year")}(?:[ \\t]+(calendar|academic|financial)${E})?`,
        captures: captures(keyword("year"), "constant.language.year-kind.perf"),
      },
      {
        match: `${word("year-start")}(?:[ \\t]+(${MONTH_NAME})${E})?`,
        captures: captures(keyword("year-start"), "support.constant.month.perf"),
      },
      {
        match: word("year-to-date"),
        captures: captures(keyword("year-to-date")),
      },
      {
        // `lag 1`, `lag 2 months`, `lag 1 quarters`
        match: `${word("lag")}(?:[ \\t]+(${DIGITS})${E}(?:[ \\t]+(months|quarters)${E})?)?`,
        captures: captures(keyword("lag"), "constant.numeric.integer.perf", "constant.language.lag-unit.perf"),
      },
      {
        // `red beyond 10%` (before the rating word `red`)
        match: `${B}(red)[ \\t]+(beyond)${E}`,
        captures: captures(keyword("red-beyond"), keyword("red-beyond")),
      },
      {
        match: word("organisation|organization|owner|lead|tolerance|amber|concern"),
        captures: { 1: { name: "keyword.other.$1.perf" } },
      },
    ],
  },

  composite: {
    // `composite worst of CT01, NNDR01`: the list may run over several
    // lines; it ends at its last id (one not followed by a comma).
    begin: `${word("composite")}(?:[ \\t]+(worst|majority)${E})?(?:[ \\t]+(of)${E})?`,
    beginCaptures: captures(keyword("composite"), "constant.language.composite-rule.perf", keyword("of")),
    end: `${B}(?!(?:worst|majority|of)${E})(${ID})${E}(?![ \\t]*,)`,
    endCaptures: captures("variable.other.reference.measure.perf"),
    patterns: [
      { include: "#comment" },
      {
        match: word("worst|majority"),
        captures: captures("constant.language.composite-rule.perf"),
      },
      { match: word("of"), captures: captures(keyword("of")) },
      {
        match: `${B}(${ID})${E}`,
        captures: captures("variable.other.reference.measure.perf"),
      },
      { include: "#comma" },
    ],
  },

  "period-field": {
    patterns: [
      {
        // `actual 2017/18 Q1 83%` or `actual { rows }`
        begin: word("actual"),
        beginCaptures: captures(keyword("actual")),
        end: `${PERIOD}|${notA("{")}`,
        endCaptures: periodCaptures(1),
        patterns: [{ include: "#comment" }, { include: "#actual-block" }],
      },
      {
        // `status 2017/18 Q1 amber "why"`
        begin: word("status"),
        beginCaptures: captures(keyword("status")),
        end: `${PERIOD}(?:[ \\t]+(${RAG})${E})?|${notA()}`,
        endCaptures: {
          ...periodCaptures(1),
          [1 + PERIOD_GROUPS]: { name: "constant.language.rag.perf" },
        },
        patterns: [{ include: "#comment" }],
      },
      {
        // `benchmark "England" 2016/17 85%`
        begin: word("benchmark"),
        beginCaptures: captures(keyword("benchmark")),
        end: `${PERIOD}|${notA('"')}`,
        endCaptures: periodCaptures(1),
        patterns: [{ include: "#comment" }, { include: "#string" }],
      },
      {
        begin: word("target|baseline|note|milestone|period"),
        beginCaptures: { 1: { name: "keyword.other.$1.perf" } },
        end: `${PERIOD}|${notA()}`,
        endCaptures: periodCaptures(1),
        patterns: [{ include: "#comment" }],
      },
    ],
  },

  "actual-block": {
    begin: "\\{",
    beginCaptures: { 0: { name: "punctuation.section.block.begin.perf" } },
    end: "\\}",
    endCaptures: { 0: { name: "punctuation.section.block.end.perf" } },
    patterns: [
      { include: "#comment" },
      {
        // One row: a period, then its value or `n/a`.
        begin: PERIOD,
        beginCaptures: periodCaptures(1),
        end: `${VALUE}|${B}((?i:n/a))${E}|${notA()}`,
        endCaptures: {
          ...valueCaptures(1),
          [1 + VALUE_GROUPS]: { name: "constant.language.not-available.perf" },
        },
        patterns: [{ include: "#comment" }],
      },
      { include: "#constant" },
      { include: "#string" },
      { include: "#value" },
    ],
  },

  constant: {
    patterns: [
      { match: word("provisional"), captures: captures("constant.language.provisional.perf") },
      { match: `${B}((?i:n/a))${E}`, captures: captures("constant.language.not-available.perf") },
      { match: word("tbc"), captures: captures("constant.language.tbc.perf") },
      { match: word("done"), captures: captures("constant.language.done.perf") },
      // A rating word left on its own (`status` reads the one after its
      // period); `amber` alone is the band setting, above.
      { match: word("green|red|none"), captures: captures("constant.language.rag.perf") },
    ],
  },

  value: {
    match: VALUE,
    captures: valueCaptures(1),
  },

  "period-part": {
    patterns: [
      // A quarter or month on its own, as in a graduated target
      // `{ Q1 25% Q2 50% }` or `{ Apr 40 May 80 }`.
      { match: `${B}([Qq]\\d+)${E}`, captures: captures("support.constant.quarter.perf") },
      { match: `${B}(${MONTH})${E}`, captures: captures("support.constant.month.perf") },
    ],
  },

  brace: {
    patterns: [
      { match: "\\{", name: "punctuation.section.block.begin.perf" },
      { match: "\\}", name: "punctuation.section.block.end.perf" },
    ],
  },

  comma: { match: ",", name: "punctuation.separator.comma.perf" },
};

const grammar = {
  $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
  name: "perf",
  scopeName: "source.perf",
  fileTypes: ["perf"],
  comment: "Generated by scripts/build-grammar.mjs: edit that file, not this one.",
  patterns: [
    { include: "#comment" },
    { include: "#string" },
    { include: "#declaration" },
    { include: "#composite" },
    { include: "#period-field" },
    { include: "#setting" },
    { include: "#constant" },
    { include: "#value" },
    { include: "#period-part" },
    { include: "#brace" },
    { include: "#comma" },
  ],
  repository,
};

const text = JSON.stringify(grammar, null, 2) + "\n";

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    // missing: reported below
  }
  if (committed !== text) {
    console.error(
      "syntaxes/perf.tmLanguage.json is not what scripts/build-grammar.mjs makes: run `node scripts/build-grammar.mjs` and commit the result",
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
