-- Driven by test/nvim/readme.test.ts under `nvim --headless --clean -u NONE` (Neovim 0.7, 0.10 and
-- 0.12): runs one of the README's Neovim snippets as a user's init.lua would, opens each file of the
-- plan (the snippet must attach the server), waits for the diagnostic it expects, then asks for code actions on it the way
-- a user does (vim.lsp.buf.code_action, with vim.ui.select answered by the plan) and waits for the
-- file the chosen fix makes. Prints one JSON line.
-- Plan (env HOOKSMITH_NVIM_PLAN): { root, snippet, timeoutMs,
--   files = [{ path, expect, action (exact title; none: no code action), waitFile }] }
local v = vim.version()
local out = { files = {}, nvim = v.major .. '.' .. v.minor .. '.' .. v.patch }
local uv = vim.uv or vim.loop
-- vim.lsp.buf_get_clients is 0.7's, gone in 0.12; vim.lsp.get_clients came in 0.10.
local function clients(buf)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf }) end
  return vim.lsp.buf_get_clients(buf)
end

local function find(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return d end
  end
  return nil
end

local ok, err = pcall(function()
  local plan = vim.json.decode(vim.env.HOOKSMITH_NVIM_PLAN or '')
  vim.cmd('cd ' .. vim.fn.fnameescape(plan.root))
  assert(loadstring(plan.snippet, 'README snippet'))()
  for _, file in ipairs(plan.files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file.path))
    local buf = vim.api.nvim_get_current_buf()
    local result = { path = file.path, offered = {} }
    result.attached = vim.wait(plan.timeoutMs, function() return next(clients(buf)) ~= nil end, 10)
    result.appeared = result.attached and vim.wait(plan.timeoutMs, function() return find(buf, file.expect) ~= nil end, 10)
    local d = find(buf, file.expect)
    if d and file.action then
      vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
      local answered = false
      vim.ui.select = function(items, opts, on_choice)
        answered = true
        for i, item in ipairs(items) do
          local title = opts.format_item and opts.format_item(item) or tostring(item)
          table.insert(result.offered, title)
          if title == file.action then
            result.chosen = title
            return on_choice(item, i)
          end
        end
        on_choice(nil, nil)
      end
      vim.lsp.buf.code_action()
      result.answered = vim.wait(plan.timeoutMs, function() return answered end, 10)
      result.made = vim.wait(plan.timeoutMs, function() return uv.fs_stat(file.waitFile) ~= nil end, 10)
      -- 0.10 and later answer the server's window/showDocument: the file the fix made is opened.
      if vim.lsp.handlers['window/showDocument'] then
        result.shown = vim.wait(plan.timeoutMs, function() return vim.api.nvim_buf_get_name(0) == file.waitFile end, 10)
      end
    end
    table.insert(out.files, result)
  end
end)
if not ok then out.error = tostring(err) end
io.stdout:write(vim.json.encode(out) .. '\n')
vim.cmd('qa!')
