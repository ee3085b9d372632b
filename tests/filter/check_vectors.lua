--[[
Checks the Lua port of nbpost's rules (lib/slugs.lua and lib/dates.lua beside FILTER), run
with the real pandoc by tests/filter/test_vectors.py:

  pandoc lua tests/filter/check_vectors.lua FILTER VECTORS         category vectors: prints one
                                                                   line per mismatch, then
                                                                   "checked N, failures M"
  pandoc lua tests/filter/check_vectors.lua FILTER - sweep         for every code point, what the
                                                                   Lua side thinks of it
                                                                   (lower-casing, whitespace,
                                                                   separator), for Python to compare
  pandoc lua tests/filter/check_vectors.lua FILTER DATES dates     JSON list of {text, order} in,
                                                                   JSON list of ISO dates out
]]

local filter_path, data_path, mode = arg[1], arg[2], arg[3]

-- The filter's rule files (lib/ beside it), loaded as nbpost.lua loads them: each gets the
-- parts loaded before it.
local lib = pandoc.path.join({ pandoc.path.directory(filter_path), "lib" })
local parts = {}
for _, name in ipairs({ "slugs", "text", "dates" }) do
  parts[name] = assert(loadfile(pandoc.path.join({ lib, name .. ".lua" })))(parts)
end
local slugs, dates = parts.slugs, parts.dates

local function read_json(path)
  local handle = assert(io.open(path, "rb"))
  local data = pandoc.json.decode(handle:read("a"), false)
  handle:close()
  return data
end

if mode == "sweep" then
  local out = {}
  for code = 0, 0x10FFFF do
    if code < 0xD800 or code > 0xDFFF then
      local char = utf8.char(code)
      local lowered = slugs.lower(char)
      local flags = (slugs.is_space(code) and "s" or "") .. (slugs.is_separator(code) and "p" or "")
      if lowered ~= char or flags ~= "" then
        local codes = {}
        for _, c in utf8.codes(lowered) do
          codes[#codes + 1] = string.format("%x", c)
        end
        out[#out + 1] = string.format("%x %s %s", code, table.concat(codes, ","), flags)
      end
    end
  end
  io.write(table.concat(out, "\n"), "\n")
  return
end

if mode == "dates" then
  local results = {}
  for index, case in ipairs(read_json(data_path)) do
    results[index] = dates.iso_date(case.text, case.order) or pandoc.json.null
  end
  io.write(pandoc.json.encode(results), "\n")
  return
end

local failures, checked = 0, 0
for index, vector in ipairs(read_json(data_path).vectors) do
  local key = slugs.category_key(vector.label)
  local slug = slugs.slugify(vector.label)
  checked = checked + 1
  if key ~= vector.key or slug ~= vector.slug then
    failures = failures + 1
    print(string.format("MISMATCH %d %q key=%q (want %q) slug=%q (want %q)", index,
      vector.label, key, vector.key, slug, vector.slug))
  end
end
print("checked " .. checked .. ", failures " .. failures)
