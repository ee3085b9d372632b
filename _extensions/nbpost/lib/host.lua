--[[
nbpost/lib/host.lua: what differs between Quarto and plain pandoc.

Under Quarto (>= 1.5) the `quarto` table answers: quarto.doc.is_format, include_text,
input_file, quarto.project.directory, quarto.log. Quarto loads an extension's filter with an
_ENV of its own that holds `quarto` (src/resources/filters/common/wrapped-filter.lua), and
nbpost.lua loads this file with that same _ENV, so `quarto` is read as a plain name, never
through _G. Under plain pandoc: FORMAT, PANDOC_STATE, header-includes and stderr.
Needs only pandoc.
]]

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

-- Stop the render with one line (no traceback).
local function fail(message)
  error("nbpost: " .. message, 0)
end

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

-- An HTML page Quarto renders with its own scripts (quarto.js): not EPUB, not plain pandoc.
local function quarto_html_page()
  return in_quarto and quarto_api.doc.is_format and quarto_api.doc.is_format("html:js")
end

-- Text for the HTML head: Quarto's include_text, else pandoc's header-includes.
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

-- Text after the body of a Quarto HTML page (quarto_html_page() must be true).
local function add_after_body(html)
  quarto_api.doc.include_text("after-body", html)
end

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

return {
  in_quarto = in_quarto,
  warn_once = warn_once,
  fail = fail,
  format_is = format_is,
  quarto_html_page = quarto_html_page,
  add_header_include = add_header_include,
  add_after_body = add_after_body,
  to_posix = to_posix,
  locate_input = locate_input,
}
