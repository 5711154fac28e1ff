#!/usr/bin/env bash
# The editor set-up snippets of docs/editors.md, tried with real programs:
#
# - every `toml` block is valid TOML and declares the perfcard language
#   server (Helix itself is not packaged by Debian 12, so it is not run);
# - every `lua` block loads in Neovim without a syntax error;
# - the block for Neovim 0.7 is run as the whole configuration, with
#   Neovim's own LSP client talking to `perfcard lsp` (scripts/neovim-e2e.lua):
#   diagnostics, hover, definition, completion, outline, formatting.
#   Skipped, with a message, when the perfcard built here has no `lsp`.
#
# Installs Debian's neovim when it is missing. Not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v nvim >/dev/null 2>&1; then
  echo "== installing neovim"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y neovim
fi
echo "== $(nvim --version | head -n 1)"

echo "== the snippets of docs/editors.md"
python3 - docs/editors.md "$work" <<'PY'
import re, sys, tomllib, pathlib
text = pathlib.Path(sys.argv[1]).read_text()
out = pathlib.Path(sys.argv[2])
blocks = re.findall(r"^```(lua|toml)\n(.*?)^```$", text, re.S | re.M)
counts = {"lua": 0, "toml": 0}
for lang, body in blocks:
    counts[lang] += 1
    name = f"{lang}-{counts[lang]}.{lang}"
    (out / name).write_text(body)
    if lang == "toml":
        config = tomllib.loads(body)
        language = config["language"][0]
        assert language["file-types"] == ["perf"], "file-types"
        assert "perfcard" in language["language-servers"], "language-servers"
        server = config["language-server"]["perfcard"]
        assert [server["command"], *server["args"]] == ["perfcard", "lsp"], "command"
        print(f"ok: {name} is valid TOML and starts `perfcard lsp` for .perf files")
    if "start_client" in body:
        (out / "nvim07.lua").write_text(body)
assert counts["lua"] >= 3 and counts["toml"] >= 1, counts
PY

for snippet in "$work"/lua-*.lua; do
  nvim --headless --clean \
    -c "lua local f, e = loadfile('$snippet') if not f then io.stderr:write(e .. '\n') vim.cmd('cquit 1') end" \
    -c 'qa!'
  echo "ok: $(basename "$snippet") loads without a syntax error"
done

echo "== the Neovim 0.7 snippet, with perfcard lsp"
cargo build --locked --quiet
if ! target/debug/perfcard --help 2>/dev/null | grep -qE '^ +lsp\b'; then
  echo "skipped: this perfcard has no \`lsp\` command"
  exit 0
fi
mkdir "$work/scorecard"
cp examples/tutorial/*.perf "$work/scorecard/"
cd "$work/scorecard"
PATH="$root/target/debug:$PATH" timeout 120 nvim --headless --clean \
  -u "$work/nvim07.lua" scorecard.perf -c "luafile $root/scripts/neovim-e2e.lua"
echo "editor snippets passed"
