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

Works under Quarto >= 1.5 and under plain pandoc >= 3.1.1 (pandoc.json):
`pandoc --lua-filter _extensions/nbpost/nbpost.lua`.

Layout: this file reads the options and runs the steps; each job is a file in lib/, loaded in
this order (a file may use the ones above it):
  lib/slugs.lua       category keys and slugs (a mirror of src/nbpost/slugs.py)
  lib/text.lua        text out of metadata values (raw HTML kept, smart quotes undone)
  lib/dates.lua       front matter dates as ISO 8601 (a port of nbpost.blog.read.dates)
  lib/host.lua        Quarto or plain pandoc: formats, includes, warnings, input, project
  lib/registry.lua    reading categories.json
  lib/categories.lua  a post's categories as links: registry entry, labels, built-in rules
  lib/jsonld.lua      the schema.org BlogPosting block
  lib/head.lua        HTML head tags: keywords, article:tag, feed links, JSON-LD
  lib/outputs.lua     category-links, Quarto's chips, keywords, Markdown's category line

How lib/ is loaded, and why not `require`: each file is read with loadfile from the folder of
PANDOC_SCRIPT_FILE and run with this file's own _ENV. Pandoc sets PANDOC_SCRIPT_FILE to the
filter's path; Quarto, which loads every extension filter with loadfile into an environment of
its own, sets it there to the extension's file (src/resources/filters/common/wrapped-filter.lua,
makeWrappedLuaFilter and shortcodeMetatable). So every part sees what this file sees (Quarto's
`quarto` table, a test's environment), and nothing global changes. `require` would search
package.path, which plain pandoc does not extend with the filter's folder and Quarto extends
only for a require made while a filter loads (src/resources/pandoc/datadir/init.lua,
`require`), behind the working directory (`./?.lua`: pandoc runs in the post's folder) and
Quarto's own modules; its modules would run in _G and stay in package.loaded, shared with every
other filter of the render. docs/extension.md ("How the filter is organised") has the details.
]]

-- Loading lib/ -------------------------------------------------------------------------------

local PARTS = {
  "slugs", "text", "dates", "host", "registry", "categories", "jsonld", "head", "outputs",
}

local function load_parts()
  local script = PANDOC_SCRIPT_FILE
  if type(script) ~= "string" then
    error("nbpost: PANDOC_SCRIPT_FILE is not set; run nbpost.lua as a filter "
      .. "(pandoc --lua-filter, or Quarto's `filters: [nbpost]`)", 0)
  end
  local folder = pandoc.path.join({ pandoc.path.directory(script), "lib" })
  local parts = {}
  for _, name in ipairs(PARTS) do
    local path = pandoc.path.join({ folder, name .. ".lua" })
    local chunk, problem = loadfile(path, "t", _ENV)
    if not chunk then
      error("nbpost: " .. tostring(problem) .. " (lib/ must sit beside nbpost.lua: install the "
        .. "whole extension folder)", 0)
    end
    parts[name] = chunk(parts)
  end
  return parts
end

local parts = load_parts()
local text, host, outputs = parts.text, parts.host, parts.outputs

-- Options (`nbpost:` in _quarto.yml or the front matter) -------------------------------------

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
    options.output_dir = text.trim(text.raw_text(raw["output-dir"]))
  end
  if raw.registry ~= nil then
    options.registry = text.trim(text.raw_text(raw.registry))
  end
  options.category_line = text.meta_flag(raw["category-line"])
  if raw["date-order"] ~= nil and text.trim(text.raw_text(raw["date-order"])):lower() == "dmy" then
    options.date_order = "dmy"
  end
  return options
end

-- "/" + output-dir, or "" for the project root: the fallback URL prefix, as the registry's
-- `href`s are (docs/blog-outputs.md, `categories.json`).
local function url_prefix(output_dir)
  local dir = host.to_posix(output_dir):gsub("^%./", ""):gsub("/+$", "")
  if dir == "" or dir == "." then
    return ""
  end
  return "/" .. dir:gsub("^/+", "")
end

-- The filter -----------------------------------------------------------------------------------

-- HTML: the head, and under Quarto the chips that link to the category pages.
local function write_html(meta, links, entry, registry, options)
  local keywords = outputs.keyword_list(meta, links)
  local head = parts.head.post_head(meta, links, keywords, entry, registry, options)
  host.add_header_include(meta, head)
  if host.quarto_html_page() and #links > 0 then
    meta.categories = outputs.chip_links(links)
    host.add_after_body(outputs.CHIP_SCRIPT)
  end
end

-- Other formats: keywords only where they are invisible properties (elsewhere, Markdown's YAML
-- header..., adding the categories would change what the reader sees); the category line.
local function write_other(doc, meta, links, options, site_href)
  local keywords = outputs.keyword_list(meta, links)
  if #keywords > 0 and outputs.keywords_are_properties() then
    meta.keywords = text.meta_strings(keywords)
  end
  if options.category_line and #links > 0 and host.format_is("markdown") then
    doc.blocks:insert(outputs.category_line(links, site_href))
  end
end

local function process(doc)
  local meta = doc.meta
  local options = read_options(meta)
  local project, source = host.locate_input()
  -- An absolute `registry` wins over the project directory (pandoc.path.join keeps it).
  local registry_path = pandoc.path.normalize(
    pandoc.path.join({ project, options.output_dir, options.registry }))
  local registry, problem = parts.registry.read_registry(registry_path)
  if registry and source and registry.listing_pages[source] and host.format_is("html") then
    -- The blog's listing page advertises the blog's feeds (nbpost's feeds/index.xml...).
    local feeds = parts.head.blog_feed_links(registry)
    if feeds ~= "" then
      host.add_header_include(meta, feeds)
    end
  end
  -- A post without categories still gets its JSON-LD when the registry lists it; any other
  -- page (about, listings) is left alone, without a warning.
  if meta.categories == nil and not parts.registry.post_entry(registry, source) then
    return nil
  end
  local links, entry = parts.categories.resolve_categories(meta, registry, source,
    url_prefix(options.output_dir), problem or "")
  -- Pandoc reads a notebook's front matter cell as raw text, so the registry's entry is then
  -- the only source of the categories: write them too.
  if meta.categories ~= nil or (entry and #links > 0) then
    local labels = {}
    for _, link in ipairs(links) do
      labels[#labels + 1] = link.label
    end
    meta.categories = text.meta_strings(labels)
  end
  local site_href = outputs.make_site_href(registry, host.in_quarto and host.format_is("html"))
  meta["category-links"] = outputs.links_to_meta(links, site_href)
  if host.format_is("html") then
    write_html(meta, links, entry, registry, options)
  else
    write_other(doc, meta, links, options, site_href)
  end
  doc.meta = meta
  return doc
end

return {
  { Pandoc = process },
}
