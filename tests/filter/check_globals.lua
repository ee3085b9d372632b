--[[
`pandoc lua tests/filter/check_globals.lua FILTER`: loads the filter as pandoc and Quarto do
(PANDOC_SCRIPT_FILE set to FILTER) in an environment that records every global it assigns and
every undefined global it reads, and runs its Pandoc function on a small post once per case:
HTML, LaTeX and GFM (with the category line) under plain pandoc, and HTML and PDF with a
minimal `quarto` table. The filter is loaded afresh for each case, with every file it loads.

Prints, sorted and comma-separated:
  writes: <globals assigned>           reads: <undefined globals read>
  loaded: <files loaded through loadfile, relative to the filter's folder>
  foreign: <files loaded with an environment other than the recording one>
]]

local filter_path = arg[1]
local folder = pandoc.path.directory(filter_path)
local writes, reads, loaded, foreign = {}, {}, {}, {}
-- Globals a filter may legitimately look for without defining them.
local optional = { quarto = true, FORMAT = true }

local function minimal_quarto(format)
  return {
    doc = {
      input_file = nil,
      is_format = function(name)
        return name == format or (format == "html" and name == "html:js")
      end,
      include_text = function() end,
    },
    project = {},
    log = { warning = function() end },
  }
end

local function recording_env(case)
  local given = { PANDOC_SCRIPT_FILE = filter_path, FORMAT = case.format, quarto = case.quarto }
  local env
  given.loadfile = function(path, mode, chunk_env)
    local name = pandoc.path.make_relative(path, folder)
    loaded[name] = true
    if chunk_env ~= env then
      foreign[name] = true
    end
    return loadfile(path, mode, chunk_env)
  end
  env = setmetatable({}, {
    __index = function(_, name)
      local value = given[name]
      if value == nil then
        value = _G[name]
      end
      if value == nil and not optional[name] then
        reads[#reads + 1] = name
      end
      return value
    end,
    __newindex = function(_, name, value)
      writes[#writes + 1] = name
      rawset(_G, name, value)
    end,
  })
  return env
end

local POST = "---\ntitle: T\ndate: 2024-01-02\ncategories: [A, B]\nauthor: X\n"
  .. "nbpost:\n  category-line: true\n---\n\nText.\n"
local CASES = {
  { format = "html" },
  { format = "latex" },
  { format = "gfm" },
  { format = "html", quarto = minimal_quarto("html") },
  { format = "pdf", quarto = minimal_quarto("pdf") },
}

for _, case in ipairs(CASES) do
  local env = recording_env(case)
  local chunk = assert(loadfile(filter_path, "t", env))
  for _, filter in ipairs(chunk()) do
    if filter.Pandoc then
      filter.Pandoc(pandoc.read(POST))
    end
  end
end

local function sorted_keys(set)
  local list = {}
  for name in pairs(set) do
    list[#list + 1] = name
  end
  table.sort(list)
  return list
end

table.sort(writes)
table.sort(reads)
print("writes: " .. table.concat(writes, ","))
print("reads: " .. table.concat(reads, ","))
print("loaded: " .. table.concat(sorted_keys(loaded), ","))
print("foreign: " .. table.concat(sorted_keys(foreign), ","))
