--[[
nbpost/lib/dates.lua: a front matter date as ISO 8601, a port of nbpost.blog.read.dates.

Only for posts the registry does not list yet (new or draft posts): registry entries carry
nbpost's own ISO date. It covers the common shapes (numeric, ISO, dotted, month names);
anything else (today, now, RFC 2822, exotic ISO forms) gives nil, so datePublished is left out
rather than guessed. tests/filter/test_vectors.py holds it to the Python reading.
Needs parts.text (trim).
]]

local parts = ...
local trim = parts.text.trim

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

return {
  iso_date = iso_date,
}
