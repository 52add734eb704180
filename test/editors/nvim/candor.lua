-- Neovim (0.7+) as a Candor user: open a Liquid macro, receive Candor's diagnostics over
-- stdio, hover, request code actions, apply the preferred quick fix, check the text and watch
-- the squiggle go. Prints one JSON line per step; exits non-zero on the first failure.
-- Run: CANDOR_SERVER=server/dist/server.cjs CANDOR_FILE=macro.liquid nvim --headless --clean -n -c 'luafile candor.lua'
local server = assert(os.getenv('CANDOR_SERVER'), 'CANDOR_SERVER')
local file = assert(os.getenv('CANDOR_FILE'), 'CANDOR_FILE')
local node = os.getenv('CANDOR_NODE') or 'node'
local RULE = 'defensive/per-our-policy'

local function emit(t)
  io.stdout:write(vim.fn.json_encode(t) .. '\n')
end
local function fail(msg)
  emit({ step = 'fail', message = msg })
  vim.cmd('cquit 1')
end

local ok_all, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local started = vim.loop.hrtime()
  local client_id = vim.lsp.start_client({
    name = 'candor',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    init_options = { settings = { debounce = 0 } },
  })
  if not client_id then return fail('could not start the server') end
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  local function policy_diags()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'candor' and (d.code == RULE or (d.user_data and d.user_data.lsp and d.user_data.lsp.code == RULE)) then
        table.insert(out, d)
      end
    end
    return out
  end

  if not vim.wait(15000, function() return #policy_diags() > 0 end, 20) then return fail('no Candor diagnostics') end
  local d = policy_diags()[1]
  emit({ step = 'diagnostics', ms = (vim.loop.hrtime() - started) / 1e6, count = #vim.diagnostic.get(buf),
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, message = d.message, severity = d.severity })

  -- 0.7's vim.diagnostic items carry no LSP range: rebuild it (the line is ASCII, so bytes = UTF-16 units).
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
  local lsp_diag = { range = range, message = d.message, source = 'candor', code = RULE, severity = d.severity }
  local uri = vim.uri_from_bufnr(buf)

  local hover = client.request_sync('textDocument/hover', { textDocument = { uri = uri }, position = range.start }, 5000, buf)
  if not hover or not hover.result then return fail('no hover') end
  emit({ step = 'hover', value = hover.result.contents.value })

  local res = client.request_sync('textDocument/codeAction', { textDocument = { uri = uri }, range = range, context = { diagnostics = { lsp_diag } } }, 5000, buf)
  if not res or res.err or not res.result then return fail('codeAction failed: ' .. vim.inspect(res and res.err)) end
  local titles, preferred = {}, nil
  for _, a in ipairs(res.result) do
    table.insert(titles, a.title)
    if a.isPreferred and not preferred then preferred = a end
  end
  emit({ step = 'actions', titles = titles })
  if not preferred then return fail('no preferred quick fix') end

  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  emit({ step = 'applied', title = preferred.title, line = line })

  if not vim.wait(15000, function() return #policy_diags() == 0 end, 20) then return fail('the diagnostic did not go away after the fix') end
  emit({ step = 'cleared', remaining = #vim.diagnostic.get(buf) })

  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  emit({ step = 'done' })
end)
if not ok_all then fail(tostring(err)) end
vim.cmd('qa!')
