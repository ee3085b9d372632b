--[[
nbpost/lib/jsonld.lua: the schema.org BlogPosting block for an HTML head.

<script type="application/ld+json"> with headline, datePublished, author, keywords and url,
keys in a fixed order. Every string is escaped for JSON inside <script>: `<`, `>`, `&`,
U+2028 and U+2029 become \u escapes (see JSON_ESCAPES).
Needs parts.text, parts.dates, parts.registry.
]]

local parts = ...
local text, dates, registry_part = parts.text, parts.dates, parts.registry
local string_or_nil = registry_part.string_or_nil

local JSON_ESCAPES = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
  ["\r"] = "\\r", ["\t"] = "\\t",
  -- Safe inside <script>: no `</script>`, `<!--` or `]]>` can form, and no HTML entity.
  ["<"] = "\\u003c", [">"] = "\\u003e", ["&"] = "\\u0026",
}

local function json_string(value)
  value = value:gsub('[%c"\\<>&]', function(char)
    return JSON_ESCAPES[char] or string.format("\\u%04x", char:byte())
  end)
  -- U+2028 and U+2029 end a line in JavaScript.
  value = value:gsub("\u{2028}", "\\u2028"):gsub("\u{2029}", "\\u2029")
  return '"' .. value .. '"'
end

-- JSON with keys in the given order: values are strings, lists, or {{key, value}, ...} pairs.
local function json_encode(value)
  if type(value) == "string" then
    return json_string(value)
  end
  local items = {}
  if value.pairs then
    for _, pair in ipairs(value.pairs) do
      items[#items + 1] = json_string(pair[1]) .. ":" .. json_encode(pair[2])
    end
    return "{" .. table.concat(items, ",") .. "}"
  end
  for _, item in ipairs(value) do
    items[#items + 1] = json_encode(item)
  end
  return "[" .. table.concat(items, ",") .. "]"
end

-- Author names from `author` (a string, a list, or Quarto's maps with `name`), else from the
-- `authors` list that Quarto's own normalisation adds.
local function authors(meta)
  local names = {}
  local function text_of(value)
    return value and text.typed(value) or ""
  end
  for _, item in ipairs(text.as_list(meta.author or meta.authors)) do
    local name_text
    if pandoc.utils.type(item) == "table" then
      local name = item.name
      if pandoc.utils.type(name) == "table" then
        name_text = text_of(name.literal)
        if name_text == "" then
          name_text = text.trim(text_of(name.given) .. " " .. text_of(name.family))
        end
      else
        name_text = text_of(name)
      end
    else
      name_text = text_of(item)
    end
    if name_text ~= "" then
      names[#names + 1] = name_text
    end
  end
  return names
end

-- The post's date: the registry entry holds nbpost's own reading (null: undated).
local function date_published(meta, entry, options)
  if entry then
    return string_or_nil(entry.date)
  elseif meta.date then
    return dates.iso_date(text.typed(meta.date), options.date_order)
  end
  return nil
end

-- The JSON-LD script for a post with these keywords and registry entry (or nil).
local function blog_posting(meta, keywords, entry, registry, options)
  local fields = { { "@context", "https://schema.org" }, { "@type", "BlogPosting" } }
  local headline = entry and string_or_nil(entry.title) or text.typed(meta.title)
  if headline ~= "" then
    fields[#fields + 1] = { "headline", headline }
  end
  local date = date_published(meta, entry, options)
  if date then
    fields[#fields + 1] = { "datePublished", date }
  end
  local people = {}
  for _, name in ipairs(authors(meta)) do
    people[#people + 1] = { pairs = { { "@type", "Person" }, { "name", name } } }
  end
  if #people > 0 then
    fields[#fields + 1] = { "author", people }
  end
  if #keywords > 0 then
    fields[#fields + 1] = { "keywords", keywords }
  end
  local site_url = registry and registry.site_url
  local href = entry and string_or_nil(entry.href)
  if site_url and href then
    local url = site_url:gsub("/+$", "") .. (href:sub(1, 1) == "/" and href or "/" .. href)
    fields[#fields + 1] = { "url", url }
  end
  return '<script type="application/ld+json">' .. json_encode({ pairs = fields }) .. "</script>"
end

return {
  blog_posting = blog_posting,
}
