-- Driven by neovim.test.ts: attach the Flowlens server to a buffer with Neovim's own LSP client
-- (0.7 API), wait until diagnostics arrive, ask for a hover, write what was seen as JSON, quit.
local file = os.getenv("FLOWLENS_FILE")
local out = os.getenv("FLOWLENS_OUT")
local cmd = vim.fn.json_decode(os.getenv("FLOWLENS_CMD"))
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "flowlens", cmd = cmd, root_dir = vim.fn.fnamemodify(file, ":h") })
vim.lsp.buf_attach_client(buf, id)
local arrived = vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 10)
local seen = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(seen, { code = code, lnum = d.lnum, source = d.source, message = d.message })
end
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(os.getenv("FLOWLENS_HOVER_LINE")), character = 9 },
}, 20000)
local hover_text = ""
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then hover_text = r.result.contents.value or "" end
end
local f = io.open(out, "w")
f:write(vim.fn.json_encode({ arrived = arrived, diagnostics = seen, hover = hover_text }))
f:close()
vim.lsp.stop_client(id)
vim.cmd("qa!")
