"""Category labels to canonical keys and URL-safe slugs.

The Lua filter (``_extensions/nbpost/lib/slugs.lua``) implements the same rules, and both are
checked against ``tests/data/category_vectors.json``. That is why this is hand-written rather
than python-slugify: its rules (transliteration, unidecode tables) cannot be reproduced in a
pandoc Lua filter, and a slug that differs between build time and render time is a broken link.

Rules, in order:
1. Lower-case each character on its own (``str.lower`` per character, as pandoc's
   ``pandoc.text.lower`` does; this skips Python's context rule for a final Greek sigma).
2. ``&`` becomes `` and ``, ``+`` becomes `` plus ``, ``#`` becomes `` sharp ``, ``@`` becomes
   `` at `` (so ``C++``, ``C#`` and ``C`` stay three categories).
3. ASCII letters and digits are kept; every other ASCII character is a separator.
4. Non-ASCII characters are kept (accents, CJK, Hangul keep their meaning), except Unicode
   spaces, punctuation and symbols in the ranges listed in ``SEPARATOR_RANGES`` (which include
   emoji), which are separators.
5. Runs of separators become one ``-``; leading and trailing ``-`` are dropped.
6. At most ``MAX_SLUG_CHARS`` characters are kept (then trailing ``-`` dropped again).
7. An empty result becomes ``c-`` plus the FNV-1a 32-bit hash (8 hex digits) of the
   lower-cased label's UTF-8 bytes; a Windows device name (``con``, ``nul``…) gets ``-category``.
"""

from __future__ import annotations

MAX_SLUG_CHARS = 64

WORD_REPLACEMENTS = {"&": " and ", "+": " plus ", "#": " sharp ", "@": " at "}

# Inclusive code point ranges treated as separators. Mirrored in the filter's lib/slugs.lua.
SEPARATOR_RANGES: tuple[tuple[int, int], ...] = (
    (0x0080, 0x00A9),  # C1 controls, NBSP, ¡¢£¤¥¦§¨©
    (0x00AB, 0x00B4),  # «¬ soft hyphen ®¯°±²³´
    (0x00B6, 0x00B9),  # ¶·¸¹
    (0x00BB, 0x00BF),  # »¼½¾¿
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x2000, 0x206F),  # general punctuation: spaces, dashes, quotes, ellipsis, ZWJ
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols
    (0x2190, 0x2BFF),  # arrows, maths, technical, boxes, shapes, dingbats, misc symbols
    (0x3000, 0x3003),  # ideographic space and punctuation 、。〃
    (0x3008, 0x3020),  # CJK brackets 〈〉《》「」『』【】 and marks
    (0x30FB, 0x30FB),  # katakana middle dot ・
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small forms
    (0xFEFF, 0xFEFF),  # byte order mark
    (0xFF01, 0xFF0F),  # fullwidth ！＂＃＄％＆＇（）＊＋，－．／
    (0xFF1A, 0xFF20),  # fullwidth ：；＜＝＞？＠
    (0xFF3B, 0xFF40),  # fullwidth ［＼］＾＿｀
    (0xFF5B, 0xFF65),  # fullwidth ｛｜｝～ and halfwidth CJK punctuation
    (0x1F000, 0x1FAFF),  # emoji and pictographs
    (0xE0000, 0xE007F),  # tags (flag sequences)
)

WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)


def _is_separator(code: int) -> bool:
    for low, high in SEPARATOR_RANGES:
        if code < low:
            return False
        if code <= high:
            return True
    return False


def lower(text: str) -> str:
    """Lower-case character by character, matching pandoc's ``pandoc.text.lower``."""
    return "".join(char.lower() for char in text)


def category_key(label: str) -> str:
    """The identity of a category: labels differing only in case or spacing share it."""
    return " ".join(lower(label).split())


def fnv1a32(data: bytes) -> int:
    """The 32-bit FNV-1a hash (simple enough to mirror exactly in Lua)."""
    value = 0x811C9DC5
    for byte in data:
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def slugify(label: str) -> str:
    """Return the canonical slug of a category label (see the module docstring for the rules)."""
    lowered = lower(label)
    pieces: list[str] = []
    pending_separator = False
    for char in lowered:
        replacement = WORD_REPLACEMENTS.get(char)
        chars = replacement if replacement is not None else char
        for piece in chars:
            code = ord(piece)
            keep = piece.isalnum() if code < 128 else not _is_separator(code)
            if keep:
                if pending_separator and pieces:
                    pieces.append("-")
                pending_separator = False
                pieces.append(piece)
            else:
                pending_separator = True
    slug = "".join(pieces)
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    if not slug:
        slug = f"c-{fnv1a32(lowered.encode('utf-8')):08x}"
    elif slug in WINDOWS_RESERVED:
        slug = f"{slug}-category"
    return slug
