-- Drive secls in headless Neovim through the shipped config; exits 0 with a JSON report, else 1.
-- Environment: SECLS_EXE, SECLS_EDITOR_DIR (editors/neovim), SECLS_FILE (module to open), SECLS_REPORT.
local TIMEOUT_MS = 15000
local FIX = 'Stop the patcher with addCleanup'
local env = vim.env
local exited = nil -- the server's exit code, once it exits
local server_errors = {} -- error messages the server logged

local function fail(message)
  io.stderr:write('neovim e2e: ' .. message .. '\n')
  for _, text in ipairs(server_errors) do
    io.stderr:write('server error: ' .. text .. '\n')
  end
  vim.cmd('cquit 1')
end

local function wait_for(what, predicate)
  local ok = vim.wait(TIMEOUT_MS, function() return exited ~= nil or #server_errors > 0 or predicate() end, 20)
  if predicate() then
    return
  elseif exited ~= nil then
    fail(string.format('the secls server exited (code %s) while waiting for %s', exited, what))
  elseif #server_errors > 0 then
    fail('the secls server logged an error while waiting for ' .. what)
  elseif not ok then
    fail('timed out after ' .. TIMEOUT_MS .. ' ms waiting for ' .. what)
  end
end

if vim.fn.executable(env.SECLS_EXE or '') ~= 1 then
  fail('SECLS_EXE is not an executable: ' .. tostring(env.SECLS_EXE))
end

local function on_exit(code) exited = code end

-- The diagnostic as the server sent it (0.7 keeps no range of its own in user_data).
local raw_sec301 = nil
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  for _, d in ipairs(result and result.diagnostics or {}) do
    if d.code == 'SEC301' then raw_sec301 = d end
  end
  return publish(err, result, ctx, config)
end
for _, method in ipairs({ 'window/logMessage', 'window/showMessage' }) do
  local show = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, result, ctx, config)
    if result and result.type == 1 then table.insert(server_errors, result.message) end
    return show(err, result, ctx, config)
  end
end

local function main()
  local overrides = { cmd = { env.SECLS_EXE, 'serve' }, init_options = { debounceMs = 0 }, on_exit = on_exit }
  vim.opt.runtimepath:prepend(env.SECLS_EDITOR_DIR)
  vim.cmd('filetype on')
  if vim.lsp.config then
    vim.lsp.config('secls', overrides) -- merged over the shipped lsp/secls.lua
    vim.lsp.enable('secls')
  else
    require('secls.legacy').setup(overrides)
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(env.SECLS_FILE))
  local bufnr = vim.api.nvim_get_current_buf()

  local function sec301()
    return vim.tbl_filter(function(d) return d.code == 'SEC301' end, vim.diagnostic.get(bufnr))
  end

  local function client()
    local get = vim.lsp.get_clients or vim.lsp.get_active_clients
    return get({ name = 'secls' })[1]
  end

  wait_for('the secls client to start', function() return client() ~= nil end)
  wait_for('SEC301 diagnostics', function() return #sec301() > 0 end)
  local diag = sec301()[1]
  local report = {
    version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor),
    encoding = client().offset_encoding,
    count = #sec301(),
    code = diag.code,
    source = diag.source,
    message = diag.message,
    lnum = diag.lnum, col = diag.col, end_col = diag.end_col, -- Neovim's own: byte columns
    lsp_range = raw_sec301.range,
  }

  vim.api.nvim_win_set_cursor(0, { diag.lnum + 1, diag.col })
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ apply = true, filter = function(action) return action.title == FIX end })
  else
    -- 0.7 has neither `filter` nor `apply`: request, resolve the lazy edit, apply it ourselves.
    local c = client()
    local params = vim.lsp.util.make_range_params()
    params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, diag.lnum) }
    local response = c.request_sync('textDocument/codeAction', params, TIMEOUT_MS, bufnr)
    local chosen
    for _, action in ipairs(response and response.result or {}) do
      if action.title == FIX then chosen = action end
    end
    if chosen == nil then fail('no "' .. FIX .. '" code action offered') end
    if chosen.edit == nil then
      chosen = c.request_sync('codeAction/resolve', chosen, TIMEOUT_MS, bufnr).result
    end
    if chosen == nil or chosen.edit == nil then fail('codeAction/resolve gave no edit for "' .. FIX .. '"') end
    vim.lsp.util.apply_workspace_edit(chosen.edit, c.offset_encoding)
  end

  local function text()
    return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
  end
  wait_for('the quick fix to edit the buffer', function() return text():find('addCleanup', 1, true) ~= nil end)
  wait_for('the SEC301 diagnostic to clear', function() return #sec301() == 0 end)
  report.fixed_text = text()
  report.remaining = #sec301()

  vim.fn.writefile({ vim.fn.json_encode(report) }, env.SECLS_REPORT)
end

-- Any Lua error ends the run (an error in -c would otherwise leave Neovim waiting at a prompt).
local ok, err = xpcall(main, debug.traceback)
if not ok then fail(err) end
vim.cmd('qall!')
