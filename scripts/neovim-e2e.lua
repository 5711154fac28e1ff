-- Neovim's own LSP client against `perfcard lsp`, on a copy of the
-- tutorial scorecard: run by scripts/editor-snippets-test.sh after the
-- Neovim snippet of docs/editors.md has been loaded as the whole
-- configuration. Prints what it sees; exits non-zero at the first check
-- that fails.
local function say(s) io.stdout:write(s .. "\n") end
local function fail(s)
  io.stderr:write("FAILED: " .. s .. "\n")
  vim.cmd("cquit 1")
end
local function check(ok, what)
  if not ok then fail(what) end
  say("ok: " .. what)
end

local buf = vim.api.nvim_get_current_buf()
check(vim.bo.filetype == "perf", "the filetype of a .perf file is perf")
check(vim.bo.commentstring == "// %s", "comments are //")
check(vim.wait(30000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 100),
  "perfcard lsp started and attached")

local function position(pattern, offset)
  local row = vim.fn.search(pattern, "w") - 1
  check(row >= 0, "found " .. pattern)
  local col = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]:find(pattern, 1, true) - 1
  return { line = row, character = col + (offset or 0) }
end
local function request(method, pos)
  local params = { textDocument = vim.lsp.util.make_text_document_params() }
  params.position = pos
  local answers = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, answer in pairs(answers) do
    if answer.err then fail(method .. ": " .. vim.inspect(answer.err)) end
    return answer.result
  end
  fail(method .. ": no answer")
end
local function errors()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.severity == vim.diagnostic.severity.ERROR then table.insert(found, d.message) end
  end
  return found
end

-- Diagnostics as the file breaks and mends.
check(vim.wait(10000, function() return #errors() == 0 end, 100), "no errors in the tutorial")
local at = position("polarity higher")
vim.api.nvim_buf_set_text(buf, at.line, at.character + 9, at.line, at.character + 15, { "highr" })
check(vim.wait(10000, function()
  for _, message in ipairs(errors()) do
    if message:find("did you mean `higher`", 1, true) then return true end
  end
  return false
end, 100), "a misspelt polarity is an error: did you mean `higher`?")
vim.api.nvim_buf_set_text(buf, at.line, at.character + 9, at.line, at.character + 14, { "higher" })
check(vim.wait(10000, function() return #errors() == 0 end, 100), "the error goes when it is mended")

-- Hover on an id and on a period.
local hover = request("textDocument/hover", position("measure HS01", 8))
check(hover and hover.contents.value:find("**HS01**", 1, true) and hover.contents.value:find("Rating: **GREEN**", 1, true),
  "hover on HS01 shows its rating")
hover = request("textDocument/hover", position("target 2017/18 93%", 8))
check(hover and hover.contents.value:find("Apr 2017–Mar 2018", 1, true), "hover on 2017/18 shows its months")

-- Go to definition: a composite component, an include path.
local definition = request("textDocument/definition", position("composite worst of HS01", 19))
definition = definition and (definition[1] or definition)
check(definition and definition.range.start.line == position("measure HS01").line,
  "definition of a composite component is its measure")
definition = request("textDocument/definition", position('include "finance.perf"', 10))
definition = definition and (definition[1] or definition)
check(definition and definition.uri:find("finance.perf$"), "definition of an include path is the file")

-- Completion of a field inside a measure.
local items = request("textDocument/completion", position('lead "Cllr. Asha Patel"'))
items = items and (items.items or items) or {}
local labels = {}
for _, item in ipairs(items) do labels[item.label] = true end
check(labels["target"] and labels["polarity"], "completion in a measure offers its fields")

-- The outline, and formatting.
local symbols = vim.lsp.buf_request_sync(buf, "textDocument/documentSymbol",
  { textDocument = vim.lsp.util.make_text_document_params() }, 10000)
local names = {}
for _, answer in pairs(symbols or {}) do
  for _, symbol in ipairs(answer.result or {}) do table.insert(names, symbol.name) end
end
check(vim.tbl_contains(names, "Place") and vim.tbl_contains(names, "ACT-1"), "the outline lists groups and actions")
vim.api.nvim_buf_set_lines(buf, 0, 0, false, { "defaults   {  amber 10%   }" })
if vim.lsp.buf.format then vim.lsp.buf.format({ timeout_ms = 10000 }) else vim.lsp.buf.formatting_sync(nil, 10000) end
check(vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1] == "defaults {", "formatting lays the file out as perfcard fmt")

vim.cmd("qa!")
