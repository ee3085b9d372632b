--[[
nbpost/lib/outputs.lua: what each output format gets besides the HTML head.

Every format: `category-links` in the metadata, for templates and partials. Quarto's HTML
pages: title-block chips that link to the category pages, and the script that keeps them so.
PDF/LaTeX and Office files: `keywords` (document properties). Markdown: a visible line of
category links with `nbpost: category-line: true`. Needs parts.slugs, parts.text, parts.host.
]]

local parts = ...
local text, host = parts.text, parts.host

-- The author's `keywords` then the category labels, each key once.
local function keyword_list(meta, links)
  local keywords, seen = {}, {}
  local function add(keyword)
    keyword = text.trim(keyword)
    local key = parts.slugs.category_key(keyword)
    if key ~= "" and not seen[key] then
      seen[key] = true
      keywords[#keywords + 1] = keyword
    end
  end
  for _, value in ipairs(text.as_list(meta.keywords)) do
    add(text.typed(value))
  end
  for _, link in ipairs(links) do
    add(link.label)
  end
  return keywords
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

local function meta_map_of(hrefs, site_href)
  local map = {}
  for name, href in pairs(hrefs) do
    map[name] = pandoc.MetaString(site_href(href))
  end
  return pandoc.MetaMap(map)
end

local function unchanged(href)
  return href
end

-- `category-links`: {label, key, slug, href, url, feed, feeds, feed-urls, description, colour}.
local function links_to_meta(links, site_href)
  local items = pandoc.MetaList({})
  for _, link in ipairs(links) do
    local item = {
      label = pandoc.MetaInlines({ pandoc.Str(link.label) }),
      key = pandoc.MetaString(link.key),
      slug = pandoc.MetaString(link.slug),
      feeds = meta_map_of(link.feeds, site_href),
      ["feed-urls"] = meta_map_of(link.feed_urls, unchanged),
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

-- "Categories: A, B" with links, for Markdown outputs.
local function category_line(links, site_href)
  local inlines = pandoc.Inlines({ pandoc.Str("Categories:"), pandoc.Space() })
  for index, link in ipairs(links) do
    if index > 1 then
      inlines:extend({ pandoc.Str(","), pandoc.Space() })
    end
    local label = pandoc.Inlines({ pandoc.Str(link.label) })
    local target = link.url or site_href(link.href)
    if target then
      inlines:insert(pandoc.Link(label, target))
    else
      inlines:extend(label)
    end
  end
  return pandoc.Para(inlines)
end

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

-- `categories` for Quarto's title block: each label a link to its page (class nbpost-category).
local function chip_links(links)
  local chips = pandoc.MetaList({})
  for _, link in ipairs(links) do
    local label = pandoc.Inlines({ pandoc.Str(link.label) })
    if link.href then
      chips:insert(pandoc.MetaInlines({
        pandoc.Link(label, link.href, "", pandoc.Attr("", { "nbpost-category" })),
      }))
    else
      chips:insert(pandoc.MetaInlines(label))
    end
  end
  return chips
end

-- Formats whose `keywords` are document properties nobody sees on the page (pandoc's and
-- Quarto's templates: pdfkeywords for LaTeX/PDF/Beamer, core properties for Office files).
local function keywords_are_properties()
  for _, name in ipairs({ "latex", "pdf", "beamer", "docx", "odt", "pptx" }) do
    if host.format_is(name) then
      return true
    end
  end
  return false
end

return {
  CHIP_SCRIPT = CHIP_SCRIPT,
  keyword_list = keyword_list,
  make_site_href = make_site_href,
  links_to_meta = links_to_meta,
  category_line = category_line,
  chip_links = chip_links,
  keywords_are_properties = keywords_are_properties,
}
