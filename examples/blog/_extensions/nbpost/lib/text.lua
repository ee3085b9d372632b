--[[
nbpost/lib/text.lua: text out of pandoc metadata values.

Pandoc parses metadata strings as Markdown, so `it's` arrives as `it’s` and `<b>x</b>` as raw
HTML that pandoc.utils.stringify drops. These functions recover what the author most likely
typed. Needs only pandoc.
]]

local SMART_TO_ASCII = {
  { "\u{2019}", "'" }, { "\u{2018}", "'" }, { "\u{201C}", '"' }, { "\u{201D}", '"' },
  { "\u{2026}", "..." }, { "\u{2014}", "---" }, { "\u{2013}", "--" },
}

local function raw_inlines(inlines, add)
  for _, inline in ipairs(inlines) do
    local tag = inline.t
    if tag == "Str" or tag == "Code" or tag == "RawInline" then
      add(inline.text)
    elseif tag == "Space" or tag == "SoftBreak" or tag == "LineBreak" then
      add(" ")
    elseif tag == "Quoted" then
      local mark = inline.quotetype == "DoubleQuote" and '"' or "'"
      add(mark)
      raw_inlines(inline.content, add)
      add(mark)
    elseif tag == "Math" then
      local mark = inline.mathtype == "DisplayMath" and "$$" or "$"
      add(mark)
      add(inline.text)
      add(mark)
    elseif tag == "Note" then
      -- footnotes are not part of a label
    elseif tag == "Image" then
      raw_inlines(inline.caption, add)
    elseif inline.content then
      raw_inlines(inline.content, add)
    end
  end
end

local function raw_blocks(blocks, add)
  for index, block in ipairs(blocks) do
    if index > 1 then
      add(" ")
    end
    if block.content and pandoc.utils.type(block.content) == "Inlines" then
      raw_inlines(block.content, add)
    elseif block.text then
      add(block.text)
    else
      add(pandoc.utils.stringify(block))
    end
  end
end

-- Like pandoc.utils.stringify, but keeps raw HTML/TeX and quotes, so `<b>x</b>` stays text.
local function raw_text(value)
  local kind = pandoc.utils.type(value)
  if kind == "string" then
    return value
  elseif kind == "boolean" or kind == "number" then
    return tostring(value)
  elseif value == nil then
    return ""
  end
  local parts = {}
  local function add(text)
    parts[#parts + 1] = text
  end
  if kind == "Inlines" then
    raw_inlines(value, add)
  elseif kind == "Blocks" then
    raw_blocks(value, add)
  elseif kind == "Inline" then
    raw_inlines({ value }, add)
  elseif kind == "Block" then
    raw_blocks({ value }, add)
  else
    return pandoc.utils.stringify(value)
  end
  return table.concat(parts)
end

-- Undo the `smart` extension (’ “ ” … — –) to recover what was most likely typed.
local function undo_smart(text)
  for _, pair in ipairs(SMART_TO_ASCII) do
    text = text:gsub(pair[1], pair[2])
  end
  return text
end

local function trim(text)
  return (text:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- What the author typed for a metadata value (a title, a name, a date), trimmed.
local function typed(value)
  return trim(undo_smart(raw_text(value)))
end

-- A metadata value as a list of items (a single string or map becomes a one-item list).
local function as_list(value)
  if value == nil then
    return {}
  end
  if pandoc.utils.type(value) == "List" then
    return value
  end
  return { value }
end

local function meta_flag(value)
  if value == nil then
    return false
  end
  if type(value) == "boolean" then
    return value
  end
  local text = trim(pandoc.utils.stringify(value)):lower()
  return text == "true" or text == "yes" or text == "1"
end

-- A MetaList of one-Str MetaInlines, one per text: labels exactly as given, never re-parsed.
local function meta_strings(texts)
  local list = pandoc.MetaList({})
  for _, text in ipairs(texts) do
    list:insert(pandoc.MetaInlines({ pandoc.Str(text) }))
  end
  return list
end

return {
  raw_text = raw_text,
  undo_smart = undo_smart,
  trim = trim,
  typed = typed,
  as_list = as_list,
  meta_flag = meta_flag,
  meta_strings = meta_strings,
}
