-- secls for Neovim 0.7–0.10 without nvim-lspconfig: require('secls.legacy').setup({...}).
-- One client per root folder, attached to buffers of the configured filetypes.
local M = {}

local defaults = {
  name = 'secls',
  cmd = { 'secls', 'serve' },
  filetypes = { 'python', 'requirements' },
  root_markers = { 'pyproject.toml', 'setup.cfg', 'setup.py', 'requirements.txt', '.git' },
  init_options = { debounceMs = 150 },
}

local function root_of(bufnr, markers)
  local path = vim.api.nvim_buf_get_name(bufnr)
  local start = vim.fn.fnamemodify(path, ':p:h')
  for _, marker in ipairs(markers) do
    local found = vim.fn.findfile(marker, start .. ';')
    if found == '' then
      found = vim.fn.finddir(marker, start .. ';')
    end
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h')
    end
  end
  return start
end

function M.setup(opts)
  local config = vim.tbl_deep_extend('force', defaults, opts or {})
  local clients = {}
  local function attach(args)
    local bufnr = args and args.buf or vim.api.nvim_get_current_buf()
    if vim.api.nvim_buf_get_name(bufnr) == '' then
      return
    end
    local root = root_of(bufnr, config.root_markers)
    local id = clients[root]
    if id == nil or vim.lsp.get_client_by_id(id) == nil then
      id = vim.lsp.start_client(vim.tbl_extend('force', config, {
        root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      }))
      clients[root] = id
    end
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end
  vim.api.nvim_create_autocmd('FileType', {
    pattern = config.filetypes,
    group = vim.api.nvim_create_augroup('secls', { clear = true }),
    callback = attach,
  })
end

return M
