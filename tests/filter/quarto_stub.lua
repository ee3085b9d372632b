--[[
A stand-in for Quarto, run as the one Lua filter: `pandoc --lua-filter quarto_stub.lua`.

It loads nbpost.lua (the path in NBPOST_FILTER) the way Quarto loads an extension's filter
(makeWrappedLuaFilter and shortcodeMetatable in quarto-cli's
src/resources/filters/common/wrapped-filter.lua): `loadfile(path, "bt", env)`, where env reads
through to a table of exactly the names Quarto's sandbox offers, with `quarto` and
PANDOC_SCRIPT_FILE set to the filter's own path (in _G, PANDOC_SCRIPT_FILE names this stub, as
under Quarto it names Quarto's main.lua). So `quarto` is not in _G (pandoc also clears globals
between separate --lua-filter files, so a stub in a file of its own would not reach the
filter), and the filter finds its lib/ folder only through the sandbox's PANDOC_SCRIPT_FILE.
After nbpost's filters it adds one that copies what the stub recorded into the metadata:
`stub-includes` ("location\ntext" strings) and `stub-warnings`.

Environment: STUB_FORMAT (what quarto.doc.is_format answers for, default "html"),
STUB_INPUT (quarto.doc.input_file), STUB_PROJECT (quarto.project.directory), STUB_EMIT (when
set, the includes also go where Quarto puts them: `header-includes` for in-header,
`include-before`/`include-after` for before-body/after-body, so a template places them).
]]

local includes, warnings = {}, {}
local format = os.getenv("STUB_FORMAT") or "html"
local groups = {
  html = { html = true, html5 = true, revealjs = true, epub = true },
  ["html:js"] = { html = true, html5 = true, revealjs = true },
  latex = { latex = true, pdf = true, beamer = true },
  pdf = { latex = true, pdf = true, beamer = true },
  markdown = { markdown = true, gfm = true, commonmark = true },
}

local quarto_stub = {
  doc = {
    input_file = os.getenv("STUB_INPUT"),
    is_format = function(name)
      local group = groups[name]
      return name == format or (group ~= nil and group[format] == true)
    end,
    include_text = function(location, text)
      if location ~= "in-header" and location ~= "before-body" and location ~= "after-body" then
        error("include_text: unknown location " .. tostring(location))
      end
      includes[#includes + 1] = location .. "\n" .. text
    end,
  },
  project = { directory = os.getenv("STUB_PROJECT") },
  log = {
    warning = function(message)
      warnings[#warnings + 1] = message
    end,
  },
}

-- The globals Quarto's sandbox offers a filter (shortcodeMetatable, wrapped-filter.lua).
local SANDBOX_NAMES = {
  "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load", "loadfile",
  "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "select",
  "setmetatable", "tonumber", "tostring", "type", "_VERSION", "xpcall", "coroutine", "require",
  "package", "string", "utf8", "table", "math", "io", "file", "os", "debug", "FORMAT",
  "PANDOC_READER_OPTIONS", "PANDOC_WRITER_OPTIONS", "PANDOC_VERSION", "PANDOC_API_VERSION",
  "PANDOC_STATE", "pandoc", "lpeg", "re", "json", "_G",
}

local path = assert(os.getenv("NBPOST_FILTER"), "set NBPOST_FILTER to nbpost.lua")
local sandbox = { PANDOC_SCRIPT_FILE = path, quarto = quarto_stub }
for _, name in ipairs(SANDBOX_NAMES) do
  sandbox[name] = _G[name]
end
local env = setmetatable({}, { __index = sandbox })
local chunk = assert(loadfile(path, "bt", env))
local filters = chunk()

local function as_meta_list(items)
  local list = pandoc.MetaList({})
  for _, item in ipairs(items) do
    list:insert(pandoc.MetaString(item))
  end
  return list
end

local emit_targets = {
  ["in-header"] = "header-includes",
  ["before-body"] = "include-before",
  ["after-body"] = "include-after",
}

local function emit(meta)
  for _, include in ipairs(includes) do
    local location, text = include:match("^([^\n]*)\n(.*)$")
    local key = emit_targets[location]
    local list = meta[key] or pandoc.MetaList({})
    if pandoc.utils.type(list) ~= "List" then
      list = pandoc.MetaList({ list })
    end
    list:insert(pandoc.MetaBlocks({ pandoc.RawBlock("html", text) }))
    meta[key] = list
  end
end

filters[#filters + 1] = {
  Meta = function(meta)
    meta["stub-includes"] = as_meta_list(includes)
    meta["stub-warnings"] = as_meta_list(warnings)
    if os.getenv("STUB_EMIT") then
      emit(meta)
    end
    return meta
  end,
}
return filters
