#!/usr/bin/env bash
# The VS Code extension (editors/vscode/) as CI can check it without VS Code:
#
# 1. installs the extension's npm packages exactly as locked (`npm ci`);
# 2. checks that the committed grammar is what scripts/build-grammar.mjs makes;
# 3. runs the grammar tests (vscode-tmgrammar-test on editors/vscode/test/*.perf,
#    files annotated with the scopes every construct must get);
# 4. checks that every word of grammar/perf.pest is a word of the TextMate
#    grammar, and that every token of every example scorecard gets a scope;
# 5. type-checks the client against @types/vscode (tsc, strict);
# 6. packages the extension with `vsce package` and checks what is inside.
#
#   scripts/editor-test.sh
#
# The package is written to target/editor-test/perfcard-VERSION.vsix (or to
# $EDITOR_TEST_OUT): install it in VS Code with "Extensions: Install from
# VSIX...". Needs Node.js 20 or later with npm, and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

out=${EDITOR_TEST_OUT:-target/editor-test}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js 20 or later, with npm, is required (https://nodejs.org)" >&2
  exit 2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is required (found $(node --version))" >&2
  exit 2
fi
echo "== node $(node --version), npm $(npm --version)"

cd editors/vscode

# `npm ci` reinstalls from scratch every time; skip it when node_modules was
# installed from this very package-lock.json (a local re-run).
lock_hash=$(node -e 'const c=require("crypto");process.stdout.write(c.createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex"))')
stamp=node_modules/.perfcard-lock-sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  echo "== npm ci (node_modules already installed from this package-lock.json)"
else
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s' "$lock_hash" > "$stamp"
fi
bin=node_modules/.bin

echo "== the committed grammar is the generated one"
node scripts/build-grammar.mjs --check

echo "== grammar tests (vscode-tmgrammar-test)"
# The grammar is found through package.json, as VS Code finds it.
"$bin/vscode-tmgrammar-test" --compact "test/**/*.perf" </dev/null

echo "== every word of grammar/perf.pest is in the TextMate grammar"
node test/keywords-known.mjs "$root/grammar/perf.pest"

echo "== every token of the examples is recognised"
shopt -s nullglob
examples=("$root"/examples/*.perf "$root"/examples/*/*.perf)
shopt -u nullglob
node test/examples-covered.mjs "${examples[@]}"

echo "== type-check the client (tsc against @types/vscode)"
"$bin/tsc" -p ./

echo "== vsce package"
version=$(node -p 'require("./package.json").version')
vsix="$out/perfcard-$version.vsix"
rm -f "$vsix"
# vsce runs the prepublish script, which bundles the client and
# vscode-languageclient into out/extension.js (esbuild), hence
# --no-dependencies. --skip-license: the licence is stated in package.json
# ("MIT"); --allow-missing-repository: there is no public repository URL yet.
"$bin/vsce" package --no-dependencies --skip-license --allow-missing-repository \
  --out "$vsix" </dev/null

echo "== what the package holds"
python3 - "$vsix" <<'PY'
import json, re, sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
package = zipfile.ZipFile(sys.argv[1])
required = [
    "extension/package.json",
    "extension/out/extension.js",
    "extension/syntaxes/perf.tmLanguage.json",
    "extension/language-configuration.json",
    "extension/readme.md",
]
missing = [name for name in required if name not in names]
unwanted = [name for name in names
            if name.split("/")[1:2] in (["src"], ["test"], ["scripts"], ["node_modules"])
            or name.endswith(".map")]
if missing or unwanted:
    for name in missing:
        print(f"missing from the package: {name}", file=sys.stderr)
    for name in sorted(unwanted)[:20]:
        print(f"should not be in the package: {name}", file=sys.stderr)
    sys.exit(1)
manifest = json.loads(package.read("extension/package.json"))
assert manifest["contributes"]["languages"][0]["id"] == "perf", "language id"
client = package.read("extension/out/extension.js").decode()
# The bundle needs nothing from node_modules: VS Code's own `vscode` module
# and Node's built-in modules only.
builtin = {"vscode", "child_process", "crypto", "fs", "net", "os", "path", "util",
           "events", "stream", "url", "buffer", "assert", "tty"}
needed = set(re.findall(r'require\("([^"]+)"\)', client)) - builtin
if needed or "LanguageClient = class" not in client:
    print(f"out/extension.js is not a complete bundle; it requires {sorted(needed)}",
          file=sys.stderr)
    sys.exit(1)
print(f"{len(names)} files: the bundled client, the grammar, the language configuration")
PY
echo "== wrote ${vsix#"$root"/}"
