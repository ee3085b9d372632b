"""Write ``category_vectors.json``: tricky category names with the key and slug nbpost gives them.

The file is shared by the Python tests (``tests/filter/test_vectors.py`` checks it still matches
``nbpost.slugs``) and the Lua tests (the same file drives the port in
``_extensions/nbpost/nbpost.lua``). Regenerate after changing a rule or the names below::

    python tests/data/make_category_vectors.py
"""

from __future__ import annotations

import json
from pathlib import Path

from nbpost.slugs import category_key, slugify

VECTORS_PATH = Path(__file__).with_name("category_vectors.json")

# Hand-picked names, grouped by what they exercise (kept compact on purpose).
# fmt: off
HAND_PICKED: list[str] = [
    # case and spacing
    "Python", "python", "PYTHON", "PyThOn", " Python ", "\tPython\n", "Machine Learning",
    "machine  learning", "MACHINE\tLEARNING", "machine\u00a0learning", "machine\u2003learning",
    "machine\u3000learning", "machine\u202flearning", "machine\u205flearning",
    "machine\u1680learning", "machine\u2028learning", "machine\u2029learning",
    "machine\x85learning", "machine\x1clearning", "machine\x1flearning", "machine\x0blearning",
    "machine\x0clearning", "machine\rlearning", "machine\u200blearning", "machine-learning",
    "machine_learning", "machine.learning", "Machine-Learning!", "  leading and trailing  ",
    # single letters and languages
    "R", "r", "C", "c", "C++", "c++", "C#", "c#", "F#", "J", "Go", "Rust", "D", "Objective-C",
    "C/C++", "C / C++", "R & Python", "R&Python", "R and Python", "A+", "A++", "+", "++", "#",
    "##", "@", "@home", "email@example.com", "#rstats", "#TidyTuesday", "TidyTuesday",
    ".NET", "ASP.NET", "node.js", "Node.js", "Vue.js", "Web 2.0", "3D", "2024", "100 days",
    "0", "00", "v1.2.3", "python3.12", "Python 3", "Python-3",
    # punctuation
    "&", "&&", "a&b", "Q&A", "Q & A", "Q&amp;A", "/", "//", "a/b", "a//b", "..", "...", ".",
    "a..b", "../etc/passwd", "..\\windows", "a\\b", "\\", "~", "~user", "a~b", "it's",
    "it\u2019s", "\"quoted\"", "\u201cquoted\u201d", "'single'", "\u2018single\u2019",
    "\u00abguillemets\u00bb", "a-b", "a--b", "a---b", "-a-", "--", "a_b", "__init__",
    "a.b.c", "a,b", "a;b", "a:b", "a|b", "a*b", "*", "**bold**", "_emph_", "`code`",
    "[link](x)", "a(b)c", "(parenthesised)", "[brackets]", "{braces}", "a=b", "a<b", "a>b",
    "<b>bold</b>", "<script>alert(1)</script>", "</script>", "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)", "a%20b", "100%", "$100", "$", "a$b", "a^b", "a!b", "!!!", "???",
    "?", "a?b", "a'b", "`", "'", "\"", "---", "-", "_", "  ", "", "\t", "\u200b", "\ufeff",
    "\u00ad", "a\u00adb",
    # accents and Latin
    "Café", "cafe\u0301", "CAFÉ", "Crème Brûlée", "naïve", "Ærø", "Øresund", "Straße",
    "STRASSE", "\u1e9e", "Ångström", "Łódź", "São Paulo", "Español", "Français", "Ñandú",
    "Dvořák", "İstanbul", "ISTANBUL", "ıi", "Iİıi", "DİYARBAKIR", "Ǆ", "ǅ", "ǆ", "ﬁle", "ﬀ",
    "Æsir", "œuvre", "Œuvre", "ÿ", "Ÿ", "Ĳssel", "ĳ",
    # Greek, Cyrillic, others
    "ΣΟΦΟΣ", "σοφος", "σοφός", "Σ", "ΌΣΟΣ", "Ελληνικά", "Русский", "МАШИННОЕ ОБУЧЕНИЕ",
    "Українська", "Ґ", "עברית", "العربية", "تعلم الآلة", "हिन्दी", "தமிழ்", "ไทย", "ქართული",
    "Հայերեն", "ᏣᎳᎩ", "𐐀𐐁",
    # CJK and Hangul
    "機械学習", "机器学习", "日本語", "データ分析", "ﾃﾞｰﾀ", "データ・サイエンス", "統計、確率",
    "「引用」", "【重要】", "中文 Python", "Python中文", "한국어", "데이터 과학", "머신러닝",
    "ㅎㅏㄴ", "ｆｕｌｌｗｉｄｔｈ", "ＦＵＬＬＷＩＤＴＨ", "Ｒ", "Ｃ＋＋", "Ｃ＃", "１２３",
    "全角　スペース", "〈角括弧〉",
    # emoji and symbols
    "🐍", "🐍 Python", "Python 🐍", "🚀🚀🚀", "👩\u200d💻", "👩\u200d💻 coding", "🇫🇷",
    "🏳\ufe0f\u200d🌈", "❤️", "❤\ufe0f love", "☕ coffee", "★ stars ★", "→ arrows ←", "©",
    "® brand", "™", "€uro", "£", "¥en", "±", "×", "÷", "°C", "½", "²", "µ", "§1", "¶",
    "¿Qué?", "¡Hola!", "…", "a…b", "•bullet", "—", "–", "a—b", "‰", "‽", "∑", "∞", "√2",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐁𝐨𝐥𝐝", "ℕ", "ℝ", "K (Kelvin sign)", "Å (Angstrom sign)", "Ω (Ohm sign)",
    # zero-width and combining
    "zero\u200bwidth", "zero\u200cnon-joiner", "zero\u200djoiner", "a\u2060b", "e\u0301",
    "\u0301", "a\u0308", "\ufe0f",
    # Windows device names and the hash fallback
    "CON", "con", "Con", "NUL", "nul", "prn", "aux", "com1", "COM9", "lpt1", "LPT9", "com0",
    "con.txt", "CON ", "nul!", "console",
    # very long names
    "a" * 64, "a" * 65, "a" * 200, "word " * 20, "ab-" * 30, "x" * 63 + "-y",
    "x" * 63 + " y", "x" * 62 + " y", "機" * 80, "🐍" * 70, "é" * 70, "a" * 63 + "é",
    "Very Long Category Name That Goes On And On Beyond Sixty Four Characters For Sure",
]
# fmt: on


def all_names() -> list[str]:
    """Every name in the file: the hand-picked ones plus one per Python whitespace character."""
    names = list(HAND_PICKED)
    for code in range(0x110000):
        char = chr(code)
        if char.isspace():
            names.append(f"ws{char}{code:04x}")
    seen: set[str] = set()
    unique = []
    for name in names:
        if name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def build_vectors() -> dict[str, object]:
    """The file's content: each name with ``category_key`` and ``slugify`` of it."""
    return {
        "comment": "Generated by tests/data/make_category_vectors.py from nbpost.slugs.",
        "vectors": [
            {"label": name, "key": category_key(name), "slug": slugify(name)}
            for name in all_names()
        ],
    }


def render() -> str:
    """The exact text of the vector file (ASCII-only JSON, so odd characters stay visible)."""
    return json.dumps(build_vectors(), indent=1, ensure_ascii=True) + "\n"


if __name__ == "__main__":
    VECTORS_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {VECTORS_PATH} ({len(all_names())} vectors)")
