--[[
`pandoc lua tests/filter/check_globals.lua FILTER`: loads the filter in an environment that
records every global it assigns and every undefined global it reads, runs its Pandoc function on
a small post, and prints "writes: ..." and "reads: ..." (empty lists when every name is local).
]]

local filter_path = arg[1]
local writes, reads = {}, {}
-- Globals a filter may legitimately look for without defining them.
local optional = { quarto = true, NBPOST_EXPORTS = true, FORMAT = true }
local env = setmetatable({}, {
  __index = function(_, name)
    local value = _G[name]
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
local handle = assert(io.open(filter_path, "rb"))
local chunk = assert(load(handle:read("a"), "@" .. filter_path, "t", env))
handle:close()
local filters = chunk()
local doc = pandoc.read("---\ntitle: T\ndate: 2024-01-02\ncategories: [A, B]\nauthor: X\n---\n\nText.\n")
for _, filter in ipairs(filters) do
  if filter.Pandoc then
    filter.Pandoc(doc)
  end
end
table.sort(writes)
table.sort(reads)
print("writes: " .. table.concat(writes, ","))
print("reads: " .. table.concat(reads, ","))
