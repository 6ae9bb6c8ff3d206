-- secls for Neovim 0.11+: put this folder on 'runtimepath' (or copy this file into your
-- config's lsp/ folder), then `vim.lsp.enable('secls')`. Override with vim.lsp.config('secls', {...}).
return {
  cmd = { 'secls', 'serve' },
  filetypes = { 'python', 'requirements' },
  root_markers = { 'pyproject.toml', 'setup.cfg', 'setup.py', 'requirements.txt', '.git' },
  -- debounceMs: milliseconds after an edit before secls analyses the buffer.
  init_options = { debounceMs = 150 },
}
