--[[
nbpost/lib/head.lua: the tags nbpost adds to an HTML head.

A post's head: <meta name="keywords"> (only when the author wrote no `keywords`), one Open
Graph <meta property="article:tag"> per category, <link rel="alternate"> to each category's
RSS/Atom/JSON feed, and the JSON-LD block (jsonld.lua). A listing page's head: the blog's
feeds. Every value is escaped for HTML attributes. Needs parts.jsonld, parts.registry.
]]

local parts = ...
local string_or_nil = parts.registry.string_or_nil

local HTML_ESCAPES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

local function html_attr(value)
  return (value:gsub("[&<>\"']", HTML_ESCAPES))
end

-- { name in the registry, MIME type, title suffix }
local FEED_TYPES = {
  { "rss", "application/rss+xml", "RSS" },
  { "atom", "application/atom+xml", "Atom" },
  { "json", "application/feed+json", "JSON Feed" },
}

local function alternate_link(feed, title, href)
  return '<link rel="alternate" type="' .. feed[2] .. '" title="'
    .. html_attr(title .. " (" .. feed[3] .. ")") .. '" href="' .. html_attr(href) .. '">'
end

-- The head of a post with these category links, keywords and registry entry (or nil).
local function post_head(meta, links, keywords, entry, registry, options)
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
        add(alternate_link(feed, link.label, href))
      end
    end
  end
  add(parts.jsonld.blog_posting(meta, keywords, entry, registry, options))
  return table.concat(lines, "\n")
end

-- The blog's feeds, for the head of the listing page the registry names.
local function blog_feed_links(registry)
  local lines = {}
  local title = registry.title or "Posts"
  for _, feed in ipairs(FEED_TYPES) do
    local href = string_or_nil(registry.feed_urls[feed[1]])
    if href then
      lines[#lines + 1] = alternate_link(feed, title, href)
    end
  end
  return table.concat(lines, "\n")
end

return {
  post_head = post_head,
  blog_feed_links = blog_feed_links,
}
