--[[
nbpost.lua: canonical categories, category links and machine-readable metadata for blog posts.

Part of nbpost (https://github.com/nbpost/nbpost), MIT licence.

What it does, for every rendered post (a document with `categories`, or one the registry lists):
  * looks the categories up in the registry that `nbpost build` writes (`categories.json` in
    the project directory by default; `nbpost: output-dir:` and `nbpost: registry:` move it, and
    an absolute `registry` path is used as is). The project directory is Quarto's, else
    $QUARTO_PROJECT_DIR, else pandoc's working directory;
  * replaces `categories` with the canonical labels and adds `category-links`, a list of
    {label, key, slug, href, feed, feeds, description, colour} for templates and partials;
  * HTML: adds <meta name="keywords">, one Open Graph <meta property="article:tag"> per
    category, <link rel="alternate"> to each category's RSS/Atom/JSON feed, and a schema.org
    BlogPosting JSON-LD block, every value escaped for HTML attributes and for JSON inside a
    <script> (`<`, `>`, `&`, U+2028 and U+2029 as \u escapes);
  * other formats: sets `keywords` (PDF/LaTeX and Word write it into the file properties);
    Markdown outputs get a visible line of category links with `nbpost: category-line: true`.

Why the registry: pandoc parses metadata strings as Markdown, so inside a filter `it's` has
become `it’s` and `<b>x</b>` is raw HTML that pandoc.utils.stringify drops. `nbpost build`
read the exact YAML strings, so the registry's per-post entry (keyed by the source path
relative to the project) is the source of truth. Without it the filter falls back to its own
copy of the slug rules, with one warning per render (a missing registry, or a label it lacks).

The slug rules below mirror src/nbpost/slugs.py exactly; tests/data/category_vectors.json holds
the shared test vectors (docs/extension.md states the rules). Change both together.

Works under Quarto >= 1.5 (the `quarto` global: include_text, is_format, input_file, project
directory, log; Quarto loads filters with an _ENV of its own, so `quarto` is read as a plain
name, never through _G) and under plain pandoc >= 3.1.1 (header-includes, PANDOC_STATE, stderr).
]]

-- Slug rules (mirror of nbpost.slugs) ------------------------------------------------------

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

-- The characters Python's str.split() splits on (str.isspace), used by category_key.
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

local function category_key(label)
  local words, current = {}, {}
  for _, code in utf8.codes(lower(label)) do
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

-- Tests (tests/filter/check_vectors.lua) reach the rules through this optional global table.
local exports = NBPOST_EXPORTS
if type(exports) == "table" then
  exports.lower = lower
  exports.category_key = category_key
  exports.fnv1a32 = fnv1a32
  exports.slugify = slugify
  exports.is_separator = is_separator
  exports.is_space = is_space
end

-- Environment: Quarto or plain pandoc ------------------------------------------------------

-- Read through the environment: Quarto runs filters with its own _ENV that holds `quarto`.
local quarto_api = quarto
local in_quarto = type(quarto_api) == "table" and type(quarto_api.doc) == "table"

local warned = false

-- One warning per render: the first problem is the one worth reading.
local function warn_once(message)
  if warned then
    return
  end
  warned = true
  if in_quarto and quarto_api.log and quarto_api.log.warning then
    quarto_api.log.warning("nbpost: " .. message)
  else
    io.stderr:write("[WARNING] nbpost: " .. message .. "\n")
  end
end

local function fail(message)
  error("nbpost: " .. message, 0)
end

-- Text from metadata -----------------------------------------------------------------------

local SMART_TO_ASCII = {
  { "\u{2019}", "'" }, { "\u{2018}", "'" }, { "\u{201C}", '"' }, { "\u{201D}", '"' },
  { "\u{2026}", "..." }, { "\u{2014}", "---" }, { "\u{2013}", "--" },
}

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
  local walk_inlines
  local function walk_blocks(blocks)
    for index, block in ipairs(blocks) do
      if index > 1 then
        add(" ")
      end
      if block.content and pandoc.utils.type(block.content) == "Inlines" then
        walk_inlines(block.content)
      elseif block.text then
        add(block.text)
      else
        add(pandoc.utils.stringify(block))
      end
    end
  end
  walk_inlines = function(inlines)
    for _, inline in ipairs(inlines) do
      local tag = inline.t
      if tag == "Str" or tag == "Code" or tag == "RawInline" then
        add(inline.text)
      elseif tag == "Space" or tag == "SoftBreak" or tag == "LineBreak" then
        add(" ")
      elseif tag == "Quoted" then
        local mark = inline.quotetype == "DoubleQuote" and '"' or "'"
        add(mark)
        walk_inlines(inline.content)
        add(mark)
      elseif tag == "Math" then
        add(inline.mathtype == "DisplayMath" and "$$" or "$")
        add(inline.text)
        add(inline.mathtype == "DisplayMath" and "$$" or "$")
      elseif tag == "Note" then
        -- footnotes are not part of a label
      elseif tag == "Image" then
        walk_inlines(inline.caption)
      elseif inline.content then
        walk_inlines(inline.content)
      end
    end
  end
  if kind == "Inlines" then
    walk_inlines(value)
  elseif kind == "Blocks" then
    walk_blocks(value)
  elseif kind == "Inline" then
    walk_inlines({ value })
  elseif kind == "Block" then
    walk_blocks({ value })
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

-- Paths ------------------------------------------------------------------------------------

local function to_posix(path)
  return (path:gsub("\\", "/"))
end

-- `path` relative to `root`, POSIX separators; nil when it lies outside `root`.
local function relative_to(path, root)
  local relative = pandoc.path.make_relative(pandoc.path.normalize(path), pandoc.path.normalize(root))
  relative = to_posix(relative)
  if relative:match("^%.%./") or relative == ".." or pandoc.path.is_absolute(relative) then
    return nil
  end
  return (relative:gsub("^%./", ""))
end

-- The project directory: Quarto's own idea of it, else $QUARTO_PROJECT_DIR (set by Quarto for
-- pre-render scripts, and handy when running pandoc by hand), else pandoc's working directory.
local function project_directory(cwd)
  local project = in_quarto and quarto_api.project and quarto_api.project.directory or nil
  if type(project) ~= "string" or project == "" then
    project = os.getenv("QUARTO_PROJECT_DIR")
  end
  if type(project) ~= "string" or project == "" then
    return cwd
  end
  if not pandoc.path.is_absolute(project) then
    project = pandoc.path.join({ cwd, project })
  end
  return project
end

-- Project directory and the input file relative to it (the registry's key for the post).
local function locate_input()
  local cwd = pandoc.system.get_working_directory()
  local project = project_directory(cwd)
  local input
  if in_quarto and type(quarto_api.doc.input_file) == "string" then
    input = quarto_api.doc.input_file
  else
    local inputs = PANDOC_STATE and PANDOC_STATE.input_files or {}
    input = inputs[1]
  end
  if not input or input == "" or input == "-" then
    return project, nil
  end
  if not pandoc.path.is_absolute(input) then
    input = pandoc.path.join({ cwd, input })
  end
  return project, relative_to(input, project)
end

-- Options (`nbpost:` in _quarto.yml or the front matter) -----------------------------------

local function read_options(meta)
  local raw = meta.nbpost
  local options = {
    output_dir = ".",
    registry = "categories.json",
    category_line = false,
    date_order = "mdy",
  }
  if pandoc.utils.type(raw) ~= "table" then
    return options
  end
  if raw["output-dir"] ~= nil then
    options.output_dir = trim(raw_text(raw["output-dir"]))
  end
  if raw.registry ~= nil then
    options.registry = trim(raw_text(raw.registry))
  end
  options.category_line = meta_flag(raw["category-line"])
  if raw["date-order"] ~= nil and trim(raw_text(raw["date-order"])):lower() == "dmy" then
    options.date_order = "dmy"
  end
  return options
end

-- "/" + output-dir, or "" for the project root: the fallback URL prefix (see REGISTRY.md).
local function url_prefix(output_dir)
  local dir = to_posix(output_dir):gsub("^%./", ""):gsub("/+$", "")
  if dir == "" or dir == "." then
    return ""
  end
  return "/" .. dir:gsub("^/+", "")
end

-- The registry (categories.json) -----------------------------------------------------------

local function json_value(value)
  if pandoc.json and value == pandoc.json.null then
    return nil
  end
  return value
end

local function read_registry(path)
  local handle = io.open(path, "rb")
  if not handle then
    return nil, "no registry at " .. path .. " (run `nbpost build` first)"
  end
  local text = handle:read("a")
  handle:close()
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
  local by_slug = {}
  for _, entry in ipairs(json_value(data.categories) or {}) do
    if type(entry) == "table" and type(entry.slug) == "string" then
      by_slug[entry.slug] = entry
    end
  end
  local listing_pages = {}
  for _, page in ipairs(type(json_value(data["listing-pages"])) == "table" and data["listing-pages"] or {}) do
    if type(page) == "string" then
      listing_pages[page] = true
    end
  end
  local feed_urls = type(json_value(data["feed-urls"])) == "table" and data["feed-urls"] or {}
  return {
    path = path,
    site_url = type(json_value(data["site-url"])) == "string" and data["site-url"] or nil,
    site_path = type(json_value(data["site-path"])) == "string" and data["site-path"] or "/",
    title = type(json_value(data.title)) == "string" and data.title or nil,
    by_slug = by_slug,
    labels = type(json_value(data.labels)) == "table" and data.labels or {},
    posts = type(json_value(data.posts)) == "table" and data.posts or {},
    listing_pages = listing_pages,
    feed_urls = feed_urls,
  }
end

-- Categories -------------------------------------------------------------------------------

local function string_or_nil(value)
  value = json_value(value)
  if type(value) == "string" and value ~= "" then
    return value
  end
  return nil
end

local function feed_map(value)
  local feeds = {}
  if type(json_value(value)) == "table" then
    for _, name in ipairs({ "rss", "atom", "json" }) do
      feeds[name] = string_or_nil(value[name])
    end
  end
  return feeds
end

local function link_from_entry(entry, label)
  return {
    label = string_or_nil(entry.label) or label,
    key = string_or_nil(entry.key) or category_key(string_or_nil(entry.label) or label),
    slug = entry.slug,
    href = string_or_nil(entry.href),
    url = string_or_nil(entry.url),
    feeds = feed_map(entry.feeds),
    feed_urls = feed_map(entry["feed-urls"]),
    description = string_or_nil(entry.description),
    colour = string_or_nil(entry.colour),
  }
end

local function fallback_link(label, prefix)
  local slug = slugify(label)
  return {
    label = label,
    key = category_key(label),
    slug = slug,
    href = prefix .. "/categories/" .. slug .. "/",
    feeds = { rss = prefix .. "/categories/" .. slug .. "/index.xml" },
    feed_urls = {},
  }
end

-- Runs of whitespace (Python's str.isspace, as nbpost.blog.metadata.category_labels) become
-- one space: a label is one line, spelled the same on the page, in feeds and the registry.
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

-- The spellings worth trying for one metadata category, most literal first.
local function candidate_labels(value)
  local candidates, seen = {}, {}
  local function add(text)
    text = collapse_spaces(text)
    if text ~= "" and not seen[text] then
      seen[text] = true
      candidates[#candidates + 1] = text
    end
  end
  local literal = raw_text(value)
  add(undo_smart(literal))
  add(literal)
  add(pandoc.utils.stringify(value))
  return candidates
end

-- Resolve the document's categories to links: registry post entry, then labels, then rules.
local function resolve_categories(meta, registry, source, prefix, problem)
  local links = {}
  local entry = registry and source and json_value(registry.posts[source])
  if type(entry) == "table" and type(json_value(entry.categories)) == "table" then
    local slugs = type(json_value(entry.slugs)) == "table" and entry.slugs or {}
    for index, label in ipairs(entry.categories) do
      local slug = slugs[index] or slugify(label)
      local category = registry.by_slug[slug]
      if category then
        links[#links + 1] = link_from_entry(category, label)
      else
        warn_once(registry.path .. ": category `" .. label .. "` has no entry; using built-in rules")
        links[#links + 1] = fallback_link(label, prefix)
      end
    end
    return links, entry
  end
  local seen = {}
  for _, value in ipairs(as_list(meta.categories)) do
    local candidates = candidate_labels(value)
    local link
    if registry then
      for _, candidate in ipairs(candidates) do
        local slug = registry.labels[category_key(candidate)]
        local category = type(slug) == "string" and registry.by_slug[slug] or nil
        if category then
          link = link_from_entry(category, candidate)
          break
        end
      end
    end
    if not link and candidates[1] then
      link = fallback_link(candidates[1], prefix)
      if registry then
        warn_once(registry.path .. ": no category `" .. candidates[1]
          .. "`; using built-in slug rules (run `nbpost build`)")
      else
        warn_once(problem .. "; using built-in slug rules")
      end
    end
    if link and link.key ~= "" and not seen[link.key] then
      seen[link.key] = true
      links[#links + 1] = link
    end
  end
  return links, nil
end

-- Dates (a port of nbpost.blog.dates, for posts the registry does not list yet) -----------
-- Registry entries carry nbpost's own ISO date, so this only runs for new or draft posts. It
-- covers the common shapes (numeric, ISO, dotted, month names); anything else (today, now,
-- RFC 2822, exotic ISO forms) gives nil, so datePublished is left out rather than guessed.

local MONTHS = {
  january = 1, jan = 1, february = 2, feb = 2, march = 3, mar = 3, april = 4, apr = 4,
  may = 5, june = 6, jun = 6, july = 7, jul = 7, august = 8, aug = 8, september = 9,
  sep = 9, sept = 9, october = 10, oct = 10, november = 11, nov = 11, december = 12, dec = 12,
}

local function valid_date(year, month, day)
  if year < 1 or month < 1 or month > 12 or day < 1 then
    return false
  end
  local days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0) then
    days[2] = 29
  end
  return day <= days[month]
end

local function iso_day(year, month, day)
  if not valid_date(year, month, day) then
    return nil
  end
  return string.format("%04d-%02d-%02d", year, month, day)
end

-- Two-digit years pivot at 69, as strptime does (00-68: 20xx, 69-99: 19xx).
local function full_year(text)
  local value = tonumber(text)
  if #text == 2 then
    return value + (value < 69 and 2000 or 1900)
  end
  return value
end

-- 10/17/2024, 10-17-24; day-first with `date-order: dmy` or when the month would be > 12.
local function numeric_date(text, date_order)
  local a, sep, b, rest = text:match("^(%d%d?)([/%-])(%d%d?)(.*)$")
  if not a then
    return nil
  end
  local year = rest:match("^%" .. sep .. "(%d%d%d%d)$") or rest:match("^%" .. sep .. "(%d%d)$")
  if not year then
    return nil, false
  end
  local month, day = tonumber(a), tonumber(b)
  if date_order == "dmy" then
    month, day = day, month
  end
  if month > 12 and day <= 12 then
    month, day = day, month
  end
  return iso_day(full_year(year), month, day), true
end

local function zone_offset(zone)
  if zone == "" or zone == "Z" or zone == "z" or zone == "UTC" or zone == "GMT" then
    return 0
  end
  local sign, hours, minutes = zone:match("^([+-])(%d%d):?(%d%d)$")
  if not sign then
    sign, hours = zone:match("^([+-])(%d%d)$")
    minutes = "00"
  end
  if not sign then
    return nil
  end
  local offset = tonumber(hours) * 60 + tonumber(minutes)
  if offset >= 24 * 60 then
    return nil
  end
  return sign == "-" and -offset or offset
end

-- 2024-10-17, 2024/10/17, 2024-10-17T10:30, 2024-10-17 10:30:00.5+02:00 (Python isoformat).
local function iso_input_date(text)
  local year, sep, month, rest = text:match("^(%d%d%d%d)([/%-])(%d%d?)(.*)$")
  if not year then
    return nil, false
  end
  local day, after = rest:match("^%" .. sep .. "(%d%d?)(.*)$")
  if not day then
    return nil, false
  end
  local date = iso_day(tonumber(year), tonumber(month), tonumber(day))
  if after == "" then
    return date, true
  end
  local hour, minute, tail = after:match("^[Tt ]%s*(%d%d?):(%d%d)(.*)$")
  if not hour then
    return nil, false
  end
  local second, fraction = "0", ""
  local s, t = tail:match("^:(%d%d)(.*)$")
  if s then
    second, tail = s, t
    local f, u = tail:match("^[.,](%d+)(.*)$")
    if f then
      fraction, tail = f, u
    end
  end
  local offset = zone_offset((tail:gsub("^%s+", "")))
  if offset == nil then
    return nil, false
  end
  hour, minute, second = tonumber(hour), tonumber(minute), tonumber(second)
  if not date or hour > 23 or minute > 59 or second > 59 then
    return nil, true
  end
  local micro = tonumber((fraction .. "000000"):sub(1, 6))
  if hour == 0 and minute == 0 and second == 0 and micro == 0 and offset == 0 then
    return date, true
  end
  local time = string.format("T%02d:%02d:%02d", hour, minute, second)
  if micro > 0 then
    time = time .. string.format(".%06d", micro)
  end
  local sign = offset < 0 and "-" or "+"
  offset = math.abs(offset)
  return date .. time .. string.format("%s%02d:%02d", sign, offset // 60, offset % 60), true
end

local function month_number(name)
  if #name < 3 or #name > 9 then
    return nil
  end
  return MONTHS[name:lower()]
end

local function ordinal_day(text)
  local day, suffix = text:match("^(%d%d?)(%a*)$")
  if day and (suffix == "" or suffix == "st" or suffix == "nd" or suffix == "rd" or suffix == "th") then
    return tonumber(day)
  end
  return nil
end

-- "October 17, 2024", "Thu, Oct. 17th, 2024", "17 October 2024", "17-Oct-2024".
local NAMED_DATE_RULES = {
  { pattern = "^(%a+)%.?%s+(%w+),?%s+(%d%d%d%d)$", day_first = false },
  { pattern = "^(%w+)[%s%-]+(%a+)%.?,?[%s%-]+(%d%d%d%d)$", day_first = true },
}

local function named_date(text)
  local bodies = { text }
  local weekday, without_weekday = text:match("^(%a+)%.?,?%s+(.+)$")
  if weekday and #weekday >= 3 and #weekday <= 9 then
    bodies[#bodies + 1] = without_weekday
  end
  -- month first ("October 17, 2024") is tried on every body before day first ("17 October")
  for _, rule in ipairs(NAMED_DATE_RULES) do
    for _, body in ipairs(bodies) do
      local first, second, year = body:match(rule.pattern)
      local name, day = first, second
      if rule.day_first then
        name, day = second, first
      end
      local month = name and month_number(name)
      day = day and ordinal_day(day)
      if month and day then
        return iso_day(tonumber(year), month, day)
      end
    end
  end
  return nil
end

-- ISO 8601 text of a front matter date, or nil when undated or unreadable.
local function iso_date(text, date_order)
  text = trim(text)
  if text == "" then
    return nil
  end
  local date, matched = numeric_date(text, date_order)
  if matched then
    return date
  end
  date, matched = iso_input_date(text)
  if matched then
    return date
  end
  local d, m, y = text:match("^(%d%d?)%.(%d%d?)%.(%d%d%d%d)$")
  if not d then
    d, m, y = text:match("^(%d%d?) (%d%d?) (%d%d%d%d)$")
  end
  if d then
    return iso_day(tonumber(y), tonumber(m), tonumber(d))
  end
  m, d, y = text:match("^(%d%d?) (%d%d?), (%d%d%d%d)$")
  if m then
    return iso_day(tonumber(y), tonumber(m), tonumber(d))
  end
  return named_date(text)
end

if type(exports) == "table" then
  exports.iso_date = iso_date
end

-- Escaping ---------------------------------------------------------------------------------

local HTML_ESCAPES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

local function html_attr(text)
  return (text:gsub("[&<>\"']", HTML_ESCAPES))
end

local JSON_ESCAPES = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
  ["\r"] = "\\r", ["\t"] = "\\t",
  -- Safe inside <script>: no `</script>`, `<!--` or `]]>` can form, and no HTML entity.
  ["<"] = "\\u003c", [">"] = "\\u003e", ["&"] = "\\u0026",
}

local function json_string(text)
  text = text:gsub('[%c"\\<>&]', function(char)
    return JSON_ESCAPES[char] or string.format("\\u%04x", char:byte())
  end)
  -- U+2028 and U+2029 end a line in JavaScript.
  text = text:gsub("\u{2028}", "\\u2028"):gsub("\u{2029}", "\\u2029")
  return '"' .. text .. '"'
end

-- JSON with keys in the given order: values are strings, lists, or {{key, value}, ...} pairs.
local function json_encode(value)
  if type(value) == "string" then
    return json_string(value)
  end
  if value.pairs then
    local parts = {}
    for _, pair in ipairs(value.pairs) do
      parts[#parts + 1] = json_string(pair[1]) .. ":" .. json_encode(pair[2])
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  local parts = {}
  for _, item in ipairs(value) do
    parts[#parts + 1] = json_encode(item)
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

-- Output -----------------------------------------------------------------------------------

local function format_is(name)
  if in_quarto and quarto_api.doc.is_format then
    return quarto_api.doc.is_format(name)
  end
  local format = FORMAT or ""
  if name == "html" then
    return format:match("^html") ~= nil or format:match("^epub") ~= nil
      or format == "revealjs" or format == "slidy" or format == "slideous"
      or format == "dzslides" or format == "s5" or format == "chunkedhtml"
  elseif name == "markdown" then
    return format:match("^markdown") ~= nil or format:match("^commonmark") ~= nil
      or format == "gfm" or format == "markua"
  end
  return format == name
end

-- Author names from `author` (a string, a list, or Quarto's maps with `name`), else from the
-- `authors` list that Quarto's own normalisation adds.
local function authors(meta)
  local names = {}
  local function text_of(value)
    return value and trim(undo_smart(raw_text(value))) or ""
  end
  for _, item in ipairs(as_list(meta.author or meta.authors)) do
    local text
    if pandoc.utils.type(item) == "table" then
      local name = item.name
      if pandoc.utils.type(name) == "table" then
        text = text_of(name.literal)
        if text == "" then
          text = trim(text_of(name.given) .. " " .. text_of(name.family))
        end
      else
        text = text_of(name)
      end
    else
      text = text_of(item)
    end
    if text ~= "" then
      names[#names + 1] = text
    end
  end
  return names
end

local function keyword_list(meta, links)
  local keywords, seen = {}, {}
  local function add(text)
    text = trim(text)
    local key = category_key(text)
    if key ~= "" and not seen[key] then
      seen[key] = true
      keywords[#keywords + 1] = text
    end
  end
  for _, value in ipairs(as_list(meta.keywords)) do
    add(undo_smart(raw_text(value)))
  end
  for _, link in ipairs(links) do
    add(link.label)
  end
  return keywords
end

local FEED_TYPES = {
  { "rss", "application/rss+xml", "RSS" },
  { "atom", "application/atom+xml", "Atom" },
  { "json", "application/feed+json", "JSON Feed" },
}

local function html_head(meta, links, keywords, entry, registry, options)
  local lines = {}
  local function add(line)
    lines[#lines + 1] = line
  end
  -- The template writes the author's own `keywords` (a meta tag, and the title block's
  -- "Keywords"); only a post without them gets one, made of its categories.
  if meta.keywords == nil and #links > 0 then
    local labels = {}
    for _, link in ipairs(links) do
      labels[#labels + 1] = link.label
    end
    add('<meta name="keywords" content="' .. html_attr(table.concat(labels, ", ")) .. '">')
  end
  for _, link in ipairs(links) do
    add('<meta property="article:tag" content="' .. html_attr(link.label) .. '">')
  end
  for _, link in ipairs(links) do
    for _, feed in ipairs(FEED_TYPES) do
      -- Absolute (site-url with its path) where known: right wherever the page is served.
      local href = link.feed_urls[feed[1]] or link.feeds[feed[1]]
      if href then
        add('<link rel="alternate" type="' .. feed[2] .. '" title="'
          .. html_attr(link.label .. " (" .. feed[3] .. ")") .. '" href="' .. html_attr(href) .. '">')
      end
    end
  end
  local fields = { { "@context", "https://schema.org" }, { "@type", "BlogPosting" } }
  local headline = entry and string_or_nil(entry.title) or trim(undo_smart(raw_text(meta.title)))
  if headline ~= "" then
    fields[#fields + 1] = { "headline", headline }
  end
  -- The registry's entry holds nbpost's own reading of the date (null: undated).
  local date
  if entry then
    date = string_or_nil(entry.date)
  elseif meta.date then
    date = iso_date(undo_smart(raw_text(meta.date)), options.date_order)
  end
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
  add('<script type="application/ld+json">' .. json_encode({ pairs = fields }) .. "</script>")
  return table.concat(lines, "\n")
end

local function add_header_include(meta, html)
  if in_quarto and quarto_api.doc.include_text then
    quarto_api.doc.include_text("in-header", html)
    return
  end
  local block = pandoc.MetaBlocks({ pandoc.RawBlock("html", html) })
  local existing = meta["header-includes"]
  if existing == nil then
    meta["header-includes"] = pandoc.MetaList({ block })
  elseif pandoc.utils.type(existing) == "List" then
    existing:insert(block)
    meta["header-includes"] = existing
  else
    meta["header-includes"] = pandoc.MetaList({ existing, block })
  end
end

-- Blog feeds for a listing page's head (the page the registry names as a listing page).
local function blog_feed_links(registry)
  local lines = {}
  local title = registry.title or "Posts"
  for _, feed in ipairs(FEED_TYPES) do
    local href = string_or_nil(registry.feed_urls[feed[1]])
    if href then
      lines[#lines + 1] = '<link rel="alternate" type="' .. feed[2] .. '" title="'
        .. html_attr(title .. " (" .. feed[3] .. ")") .. '" href="' .. html_attr(href) .. '">'
    end
  end
  return table.concat(lines, "\n")
end

-- Quarto makes every `/`-rooted href of an HTML page relative to it (resolveResourceRefs,
-- website-resources.ts), so project-rooted hrefs work under a site-url with a path. Nothing
-- rewrites other outputs (Markdown, plain pandoc): there they get the site's path.
local function make_site_href(registry, rewritten)
  local site_path = (registry and registry.site_path or "/"):gsub("/+$", "")
  return function(href)
    if href and not rewritten and site_path ~= "" and href:sub(1, 1) == "/" then
      return site_path .. href
    end
    return href
  end
end

local function links_to_meta(links, site_href)
  local items = pandoc.MetaList({})
  for _, link in ipairs(links) do
    local item = {
      label = pandoc.MetaInlines({ pandoc.Str(link.label) }),
      key = pandoc.MetaString(link.key),
      slug = pandoc.MetaString(link.slug),
    }
    if link.href then
      item.href = pandoc.MetaString(site_href(link.href))
    end
    if link.url then
      item.url = pandoc.MetaString(link.url)
    end
    if link.feeds.rss then
      item.feed = pandoc.MetaString(site_href(link.feeds.rss))
    end
    local feeds, feed_urls = {}, {}
    for name, href in pairs(link.feeds) do
      feeds[name] = pandoc.MetaString(site_href(href))
    end
    for name, href in pairs(link.feed_urls) do
      feed_urls[name] = pandoc.MetaString(href)
    end
    item.feeds = pandoc.MetaMap(feeds)
    item["feed-urls"] = pandoc.MetaMap(feed_urls)
    if link.description then
      item.description = pandoc.MetaInlines({ pandoc.Str(link.description) })
    end
    if link.colour then
      item.colour = pandoc.MetaString(link.colour)
    end
    items:insert(pandoc.MetaMap(item))
  end
  return items
end

local function category_line(links, site_href)
  local inlines = pandoc.Inlines({ pandoc.Str("Categories:"), pandoc.Space() })
  for index, link in ipairs(links) do
    if index > 1 then
      inlines:extend({ pandoc.Str(","), pandoc.Space() })
    end
    local text = pandoc.Inlines({ pandoc.Str(link.label) })
    local target = link.url or site_href(link.href)
    if target then
      inlines:insert(pandoc.Link(text, target))
    else
      inlines:extend(text)
    end
  end
  return pandoc.Para(inlines)
end

-- Title-block chips ------------------------------------------------------------------------
-- Quarto's title block shows each category as a chip (`div.quarto-category`), and its
-- quarto.js turns every chip into a link to a listing that contains the post, filtered by
-- `#category=<label>` (findAndActivateCategories in quarto.js): a page listing other posts,
-- or the posts of two categories, when the reader came from a category page. Under Quarto
-- each chip is a link to the category's own page instead, and this script takes away the
-- link quarto.js wraps around it, so the chip (for mouse, keyboard and screen reader alike)
-- leads to that page. No value is written into the script.
local CHIP_SCRIPT = [[
<script>
(function () {
  var chips = "header .quarto-category";
  var unwrap = function () {
    document.querySelectorAll(chips).forEach(function (chip) {
      if (!chip.querySelector("a.nbpost-category")) {
        return;
      }
      chip.querySelectorAll("a:not(.nbpost-category)").forEach(function (extra) {
        extra.replaceWith.apply(extra, Array.prototype.slice.call(extra.childNodes));
      });
    });
  };
  var header = document.querySelector("header") || document.body;
  new MutationObserver(unwrap).observe(header, { childList: true, subtree: true });
  unwrap();
})();
</script>
]]

local function chip_links(links)
  local chips = pandoc.MetaList({})
  for _, link in ipairs(links) do
    local text = pandoc.Inlines({ pandoc.Str(link.label) })
    if link.href then
      chips:insert(pandoc.MetaInlines({
        pandoc.Link(text, link.href, "", pandoc.Attr("", { "nbpost-category" })),
      }))
    else
      chips:insert(pandoc.MetaInlines(text))
    end
  end
  return chips
end

local function quarto_html_page()
  return in_quarto and quarto_api.doc.is_format and quarto_api.doc.is_format("html:js")
end

-- Formats whose `keywords` are document properties nobody sees on the page (pandoc's and
-- Quarto's templates: pdfkeywords for LaTeX/PDF/Beamer, core properties for Office files).
local function keywords_are_properties()
  for _, name in ipairs({ "latex", "pdf", "beamer", "docx", "odt", "pptx" }) do
    if format_is(name) then
      return true
    end
  end
  return false
end

-- The filter -------------------------------------------------------------------------------

local function process(doc)
  local meta = doc.meta
  local options = read_options(meta)
  local project, source = locate_input()
  -- An absolute `registry` wins over the project directory (pandoc.path.join keeps it).
  local registry_path = pandoc.path.normalize(
    pandoc.path.join({ project, options.output_dir, options.registry }))
  local registry, problem = read_registry(registry_path)
  if registry and source and registry.listing_pages[source] and format_is("html") then
    -- The blog's listing page advertises the blog's feeds (nbpost's feeds/index.xml...).
    local feeds = blog_feed_links(registry)
    if feeds ~= "" then
      add_header_include(meta, feeds)
    end
  end
  if meta.categories == nil then
    -- A post without categories still gets its JSON-LD when the registry lists it; any other
    -- page (about, listings) is left alone, without a warning.
    local listed = registry and source and json_value(registry.posts[source])
    if type(listed) ~= "table" then
      return nil
    end
  end
  local links, entry = resolve_categories(meta, registry, source, url_prefix(options.output_dir),
    problem or "")
  -- Pandoc reads a notebook's front matter cell as raw text, so the registry's entry is then
  -- the only source of the categories: write them too.
  if meta.categories ~= nil or (entry and #links > 0) then
    local labels = pandoc.MetaList({})
    for _, link in ipairs(links) do
      labels:insert(pandoc.MetaInlines({ pandoc.Str(link.label) }))
    end
    meta.categories = labels
  end
  local keywords = keyword_list(meta, links)
  local site_href = make_site_href(registry, in_quarto and format_is("html"))
  meta["category-links"] = links_to_meta(links, site_href)
  if format_is("html") then
    add_header_include(meta, html_head(meta, links, keywords, entry, registry, options))
    if quarto_html_page() and #links > 0 then
      meta.categories = chip_links(links)
      quarto_api.doc.include_text("after-body", CHIP_SCRIPT)
    end
  else
    -- Only where keywords are invisible properties: elsewhere (Markdown's YAML header...)
    -- adding the categories would change what the reader sees.
    local list = pandoc.MetaList({})
    for _, keyword in ipairs(keywords) do
      list:insert(pandoc.MetaInlines({ pandoc.Str(keyword) }))
    end
    if #list > 0 and keywords_are_properties() then
      meta.keywords = list
    end
    if options.category_line and #links > 0 and format_is("markdown") then
      doc.blocks:insert(category_line(links, site_href))
    end
  end
  doc.meta = meta
  return doc
end

return {
  { Pandoc = process },
}
