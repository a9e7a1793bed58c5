-- Driven by test/nvim/neovim.test.ts under `nvim --headless --clean -u NONE`: starts the bundled
-- server as a Neovim 0.7 user would (vim.lsp.start_client + vim.lsp.buf_attach_client), opens each
-- file of the plan, waits (vim.wait with a deadline, no sleeps) for the diagnostic it expects, edits
-- the buffer with nvim_buf_set_lines, waits for that diagnostic to go, and prints one JSON line.
-- Plan (env HOOKSMITH_NVIM_PLAN): { cmd, root, timeoutMs, settings,
--   files = [{ path, expect, edit = { line (0-based), text } }] }
local out = { nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch, files = {} }

local function snapshot(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ''
    table.insert(list, {
      code = d.code, source = d.source, severity = d.severity, message = d.message,
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      -- the text a user sees underlined (single-line ranges; byte columns, as Neovim keeps them)
      underlined = d.end_lnum == d.lnum and line:sub(d.col + 1, d.end_col) or nil,
    })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return list
end

local function has(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return true end
  end
  return false
end

local ok, err = pcall(function()
  local plan = vim.json.decode(vim.env.HOOKSMITH_NVIM_PLAN or '')
  -- Neovim 0.7 answers workspace/configuration from `settings` but does not announce it: without
  -- this capability the server never asks and runs on its defaults (README, "Other editors").
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.workspace.configuration = true
  local client_id = vim.lsp.start_client({
    name = 'hooksmith',
    capabilities = capabilities,
    cmd = plan.cmd, -- the README's: { 'hooksmith-language-server', '--stdio' }, from the installed package
    root_dir = plan.root,
    workspace_folders = { { uri = vim.uri_from_fname(plan.root), name = 'workspace' } },
    -- answered by Neovim's default workspace/configuration handler, as a user's init.lua sets them
    settings = plan.settings,
  })
  assert(client_id, 'start_client returned nil')
  for _, file in ipairs(plan.files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file.path))
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client_id)
    local result = { path = file.path, filetype = vim.bo[buf].filetype }
    result.appeared = vim.wait(plan.timeoutMs, function() return has(buf, file.expect) end, 10)
    result.opened = snapshot(buf)
    if result.appeared and file.edit then
      vim.api.nvim_buf_set_lines(buf, file.edit.line, file.edit.line + 1, true, { file.edit.text })
      result.cleared = vim.wait(plan.timeoutMs, function() return not has(buf, file.expect) end, 10)
      result.edited = snapshot(buf)
    end
    result.clientRunning = vim.lsp.get_client_by_id(client_id) ~= nil
    table.insert(out.files, result)
  end
  vim.lsp.stop_client(client_id)
  out.stopped = vim.wait(plan.timeoutMs, function() return vim.lsp.get_client_by_id(client_id) == nil end, 10)
end)
if not ok then out.error = tostring(err) end
io.stdout:write(vim.json.encode(out) .. '\n')
vim.cmd('qa!')
