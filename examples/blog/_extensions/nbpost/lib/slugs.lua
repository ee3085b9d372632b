--[[
nbpost/lib/slugs.lua: the category rules, a mirror of src/nbpost/slugs.py.

A category's key (how labels are compared) and slug (its folder under categories/) for a label
the registry does not know. tests/data/category_vectors.json holds the test vectors both
implementations must give, and docs/extension.md states the rules: change both together.
Needs only pandoc (pandoc.text.lower).
]]

local MAX_SLUG_CHARS = 64

local WORD_REPLACEMENTS = { ["&"] = " and ", ["+"] = " plus ", ["#"] = " sharp ", ["@"] = " at " }

-- Inclusive code point ranges treated as separators (nbpost.slugs.SEPARATOR_RANGES).
local SEPARATOR_RANGES = {
  { 0x0080, 0x00A9 }, { 0x00AB, 0x00B4 }, { 0x00B6, 0x00B9 }, { 0x00BB, 0x00BF },
  { 0x00D7, 0x00D7 }, { 0x00F7, 0x00F7 }, { 0x2000, 0x206F }, { 0x20A0, 0x20CF },
  { 0x2100, 0x214F }, { 0x2190, 0x2BFF }, { 0x3000, 0x3003 }, { 0x3008, 0x3020 },
  { 0x30FB, 0x30FB }, { 0xFE00, 0xFE0F }, { 0xFE30, 0xFE6F }, { 0xFEFF, 0xFEFF },
  { 0xFF01, 0xFF0F }, { 0xFF1A, 0xFF20 }, { 0xFF3B, 0xFF40 }, { 0xFF5B, 0xFF65 },
  { 0x1F000, 0x1FAFF }, { 0xE0000, 0xE007F },
}

-- The characters Python's str.split() splits on (str.isspace).
local PYTHON_SPACES = {}
for _, code in ipairs({
  0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
  0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
}) do
  PYTHON_SPACES[code] = true
end

local WINDOWS_RESERVED = { con = true, prn = true, aux = true, nul = true }
for i = 1, 9 do
  WINDOWS_RESERVED["com" .. i] = true
  WINDOWS_RESERVED["lpt" .. i] = true
end

local function is_separator(code)
  for _, range in ipairs(SEPARATOR_RANGES) do
    if code < range[1] then
      return false
    end
    if code <= range[2] then
      return true
    end
  end
  return false
end

local function is_space(code)
  return PYTHON_SPACES[code] == true
end

-- pandoc.text.lower maps each character on its own, as nbpost.slugs.lower does.
local function lower(text)
  return pandoc.text.lower(text)
end

-- Runs of whitespace (Python's str.isspace) become one space, with none at either end, as
-- " ".join(text.split()) does (nbpost.blog.metadata.category_labels).
local function collapse_spaces(text)
  local words, current = {}, {}
  for _, code in utf8.codes(text) do
    if is_space(code) then
      if #current > 0 then
        words[#words + 1] = table.concat(current)
        current = {}
      end
    else
      current[#current + 1] = utf8.char(code)
    end
  end
  if #current > 0 then
    words[#words + 1] = table.concat(current)
  end
  return table.concat(words, " ")
end

-- Labels with the same key are one category: `Machine  learning` and `machine Learning`.
local function category_key(label)
  return collapse_spaces(lower(label))
end

local function fnv1a32(bytes)
  local value = 0x811C9DC5
  for i = 1, #bytes do
    value = ((value ~ bytes:byte(i)) * 0x01000193) & 0xFFFFFFFF
  end
  return value
end

local function is_ascii_alnum(code)
  return (code >= 0x30 and code <= 0x39) or (code >= 0x61 and code <= 0x7A)
    or (code >= 0x41 and code <= 0x5A)
end

local function slugify(label)
  local lowered = lower(label)
  local pieces = {} -- one entry per code point of the slug
  local pending_separator = false
  local function take(code)
    local keep
    if code < 0x80 then
      keep = is_ascii_alnum(code)
    else
      keep = not is_separator(code)
    end
    if keep then
      if pending_separator and #pieces > 0 then
        pieces[#pieces + 1] = "-"
      end
      pending_separator = false
      pieces[#pieces + 1] = utf8.char(code)
    else
      pending_separator = true
    end
  end
  for _, code in utf8.codes(lowered) do
    local replacement = code < 0x80 and WORD_REPLACEMENTS[string.char(code)] or nil
    if replacement then
      for i = 1, #replacement do
        take(replacement:byte(i))
      end
    else
      take(code)
    end
  end
  if #pieces > MAX_SLUG_CHARS then
    local kept = table.move(pieces, 1, MAX_SLUG_CHARS, 1, {})
    while #kept > 0 and kept[#kept] == "-" do
      kept[#kept] = nil
    end
    pieces = kept
  end
  local slug = table.concat(pieces)
  if slug == "" then
    slug = string.format("c-%08x", fnv1a32(lowered))
  elseif WINDOWS_RESERVED[slug] then
    slug = slug .. "-category"
  end
  return slug
end

return {
  is_separator = is_separator,
  is_space = is_space,
  lower = lower,
  collapse_spaces = collapse_spaces,
  category_key = category_key,
  fnv1a32 = fnv1a32,
  slugify = slugify,
}
