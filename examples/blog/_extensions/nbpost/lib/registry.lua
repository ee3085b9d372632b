--[[
nbpost/lib/registry.lua: reading the registry (categories.json) that `nbpost build` writes.

`nbpost build` read the exact YAML strings, so the registry is the source of truth for labels,
slugs, links and each post's categories and date (docs/blog-outputs.md describes the file). A
missing registry is a warning (the filter falls back to its own rules); a broken one stops the
render.
Needs parts.host (fail).
]]

local parts = ...
local fail = parts.host.fail

-- A decoded JSON value, with JSON null as nil.
local function json_value(value)
  if pandoc.json and value == pandoc.json.null then
    return nil
  end
  return value
end

local function string_or_nil(value)
  value = json_value(value)
  if type(value) == "string" and value ~= "" then
    return value
  end
  return nil
end

local function table_or(value, default)
  return type(json_value(value)) == "table" and value or default
end

local function string_or(value, default)
  return type(json_value(value)) == "string" and value or default
end

local function decode(path, text)
  if not (pandoc.json and pandoc.json.decode) then
    fail(path .. ": reading the registry needs pandoc 3.1.1 or later (pandoc.json); this is "
      .. "pandoc " .. tostring(PANDOC_VERSION))
  end
  local ok, data = pcall(pandoc.json.decode, text, false)
  if not ok or type(data) ~= "table" then
    fail(path .. ": not valid JSON; delete it and run `nbpost build` again")
  end
  if data.version ~= 1 then
    fail(path .. ": unsupported registry version " .. tostring(json_value(data.version))
      .. " (this filter reads version 1)")
  end
  return data
end

-- The registry at `path`, or nil and the reason when there is none.
local function read_registry(path)
  local handle = io.open(path, "rb")
  if not handle then
    return nil, "no registry at " .. path .. " (run `nbpost build` first)"
  end
  local text = handle:read("a")
  handle:close()
  local data = decode(path, text)
  local by_slug = {}
  for _, entry in ipairs(json_value(data.categories) or {}) do
    if type(entry) == "table" and type(entry.slug) == "string" then
      by_slug[entry.slug] = entry
    end
  end
  local listing_pages = {}
  for _, page in ipairs(table_or(data["listing-pages"], {})) do
    if type(page) == "string" then
      listing_pages[page] = true
    end
  end
  return {
    path = path,
    site_url = string_or(data["site-url"], nil),
    site_path = string_or(data["site-path"], "/"),
    title = string_or(data.title, nil),
    by_slug = by_slug,
    labels = table_or(data.labels, {}),
    posts = table_or(data.posts, {}),
    listing_pages = listing_pages,
    feed_urls = table_or(data["feed-urls"], {}),
  }
end

-- The registry's entry for the post at `source` (relative to the project), or nil.
local function post_entry(registry, source)
  local entry = registry and source and json_value(registry.posts[source])
  if type(entry) == "table" then
    return entry
  end
  return nil
end

return {
  json_value = json_value,
  string_or_nil = string_or_nil,
  read_registry = read_registry,
  post_entry = post_entry,
}
