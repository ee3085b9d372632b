--[[
nbpost/lib/categories.lua: a post's categories as links, {label, key, slug, href, url, feeds,
feed_urls, description, colour}.

In order: the registry's entry for the post (keyed by its source path), else each metadata
category matched by key against the registry's labels, else the built-in slug rules with one
warning per render. Needs parts.slugs, parts.text, parts.host, parts.registry.
]]

local parts = ...
local slugs, text, host, registry_part = parts.slugs, parts.text, parts.host, parts.registry
local json_value, string_or_nil = registry_part.json_value, registry_part.string_or_nil
local category_key, slugify = slugs.category_key, slugs.slugify

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

-- `prefix` is "/" + output-dir, or "": project-rooted, as the registry's `href`s are.
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

-- The spellings worth trying for one metadata category, most literal first. Runs of
-- whitespace become one space: a label is one line, spelled the same on the page, in feeds
-- and the registry.
local function candidate_labels(value)
  local candidates, seen = {}, {}
  local function add(label)
    label = slugs.collapse_spaces(label)
    if label ~= "" and not seen[label] then
      seen[label] = true
      candidates[#candidates + 1] = label
    end
  end
  local literal = text.raw_text(value)
  add(text.undo_smart(literal))
  add(literal)
  add(pandoc.utils.stringify(value))
  return candidates
end

-- The registry's own list for a post it lists with categories.
local function links_of_entry(entry, registry, prefix)
  local links = {}
  local entry_slugs = type(json_value(entry.slugs)) == "table" and entry.slugs or {}
  for index, label in ipairs(entry.categories) do
    local slug = entry_slugs[index] or slugify(label)
    local category = registry.by_slug[slug]
    if category then
      links[#links + 1] = link_from_entry(category, label)
    else
      host.warn_once(registry.path .. ": category `" .. label
        .. "` has no entry; using built-in rules")
      links[#links + 1] = fallback_link(label, prefix)
    end
  end
  return links
end

local function registry_link(registry, candidates)
  for _, candidate in ipairs(candidates) do
    local slug = registry.labels[category_key(candidate)]
    local category = type(slug) == "string" and registry.by_slug[slug] or nil
    if category then
      return link_from_entry(category, candidate)
    end
  end
  return nil
end

-- Links for the metadata's `categories`, one per key, in order.
local function links_of_meta(meta, registry, prefix, problem)
  local links, seen = {}, {}
  for _, value in ipairs(text.as_list(meta.categories)) do
    local candidates = candidate_labels(value)
    local link = registry and registry_link(registry, candidates) or nil
    if not link and candidates[1] then
      link = fallback_link(candidates[1], prefix)
      if registry then
        host.warn_once(registry.path .. ": no category `" .. candidates[1]
          .. "`; using built-in slug rules (run `nbpost build`)")
      else
        host.warn_once(problem .. "; using built-in slug rules")
      end
    end
    if link and link.key ~= "" and not seen[link.key] then
      seen[link.key] = true
      links[#links + 1] = link
    end
  end
  return links
end

-- The document's categories as links, and the registry's entry when it decided them.
local function resolve_categories(meta, registry, source, prefix, problem)
  local entry = registry_part.post_entry(registry, source)
  if entry and type(json_value(entry.categories)) == "table" then
    return links_of_entry(entry, registry, prefix), entry
  end
  return links_of_meta(meta, registry, prefix, problem), nil
end

return {
  resolve_categories = resolve_categories,
}
