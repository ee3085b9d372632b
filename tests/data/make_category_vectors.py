"""Write ``category_vectors.json``: tricky category names with the key and slug they must get.

Neither implementation writes the expected values. They come from two places in this file:

* ``HAND_WRITTEN``: names whose key and slug were worked out by hand from the rules and typed
  in literally;
* ``reference_key`` / ``reference_slug``: a separate, regex-based statement of the documented
  rules (``docs/extension.md``, "Slug rules"), used for the longer ``RULE_ONLY`` list. It
  imports nothing from ``nbpost``; ``build_vectors`` refuses to write the file unless the
  reference agrees with every hand-written value.

``tests/filter/test_vectors.py`` then checks ``nbpost.slugs`` (Python) and the port in
``_extensions/nbpost/lib/slugs.lua`` (through the real pandoc) against the file, and that the file
is exactly what this script writes. Regenerate after changing a rule or a name::

    python tests/data/make_category_vectors.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

VECTORS_PATH = Path(__file__).with_name("category_vectors.json")

# The rules, as documented ------------------------------------------------------------------

MAX_SLUG = 64
WORDS = {"&": " and ", "+": " plus ", "#": " sharp ", "@": " at "}
RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)}
# Non-ASCII code points that separate words in a slug (spaces, punctuation, symbols, emoji).
SEPARATORS = (
    "\u0080-\u00a9\u00ab-\u00b4\u00b6-\u00b9\u00bb-\u00bf\u00d7\u00f7"
    "\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\u2190-\u2bff\u3000-\u3003\u3008-\u3020\u30fb"
    "\ufe00-\ufe0f\ufe30-\ufe6f\ufeff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\U0001f000-\U0001faff\U000e0000-\U000e007f"
)
# Every ASCII character except letters and digits, plus the ranges above.
SEPARATOR_RUN = re.compile(f"[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f{SEPARATORS}]+")


def per_char_lower(text: str) -> str:
    """Rule 1: each character lower-cased on its own (no context rule for a final sigma)."""
    return "".join(map(str.lower, text))


def reference_key(label: str) -> str:
    """The key: lower-cased, whitespace (``str.isspace``) runs collapsed to one space, trimmed."""
    return " ".join(per_char_lower(label).split())


def fnv1a32(data: bytes) -> int:
    """32-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/)."""
    value = 2166136261
    for byte in data:
        value = ((value ^ byte) * 16777619) % 2**32
    return value


# Published FNV-1a test values: the hash fallback is the standard function, not a look-alike.
assert fnv1a32(b"") == 0x811C9DC5
assert fnv1a32(b"a") == 0xE40C292C
assert fnv1a32(b"foobar") == 0xBF9CF968


def reference_slug(label: str) -> str:
    """The slug, by rules 1-7: lower, words for & + # @, separator runs to "-", cut at 64."""
    lowered = per_char_lower(label)
    text = "".join(WORDS.get(char, char) for char in lowered)
    slug = SEPARATOR_RUN.sub("-", text).strip("-")[:MAX_SLUG].rstrip("-")
    if not slug:
        return f"c-{fnv1a32(lowered.encode('utf-8')):08x}"
    return f"{slug}-category" if slug in RESERVED else slug


# Worked out by hand: (label, key, slug). Each line is a claim about the rules, checked above.
# fmt: off
HAND_WRITTEN: list[tuple[str, str, str]] = [
    # case and spacing
    ("Python", "python", "python"),
    ("PYTHON", "python", "python"),
    ("  Machine   Learning ", "machine learning", "machine-learning"),
    ("Machine-Learning!", "machine-learning!", "machine-learning"),
    ("machine\u00a0learning", "machine learning", "machine-learning"),
    ("machine\u200blearning", "machine\u200blearning", "machine-learning"),
    # U+1680 (Ogham space mark) is whitespace for the key but outside the separator ranges.
    ("machine\u1680learning", "machine learning", "machine\u1680learning"),
    ("全角\u3000スペース", "全角 スペース", "全角-スペース"),
    # languages: R, C, C++, C# stay distinct
    ("R", "r", "r"),
    ("r", "r", "r"),
    ("C", "c", "c"),
    ("C++", "c++", "c-plus-plus"),
    ("c++", "c++", "c-plus-plus"),
    ("C#", "c#", "c-sharp"),
    ("F#", "f#", "f-sharp"),
    ("C/C++", "c/c++", "c-c-plus-plus"),
    ("A+", "a+", "a-plus"),
    ("Objective-C", "objective-c", "objective-c"),
    (".NET", ".net", "net"),
    ("node.js", "node.js", "node-js"),
    ("Web 2.0", "web 2.0", "web-2-0"),
    ("v1.2.3", "v1.2.3", "v1-2-3"),
    ("2024", "2024", "2024"),
    # ampersands, at signs, hashes
    ("Q&A", "q&a", "q-and-a"),
    ("R & Python", "r & python", "r-and-python"),
    ("@home", "@home", "at-home"),
    ("email@example.com", "email@example.com", "email-at-example-com"),
    ("#rstats", "#rstats", "sharp-rstats"),
    # slashes, dots, backslashes, quotes
    ("a/b", "a/b", "a-b"),
    ("../etc/passwd", "../etc/passwd", "etc-passwd"),
    ("a\\b", "a\\b", "a-b"),
    ("it's", "it's", "it-s"),
    ("it\u2019s", "it\u2019s", "it-s"),
    ('"quoted"', '"quoted"', "quoted"),
    ("\u201cQuoted\u201d", "\u201cquoted\u201d", "quoted"),
    ("a--b", "a--b", "a-b"),
    ("__init__", "__init__", "init"),
    ("100%", "100%", "100"),
    ("$100", "$100", "100"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>", "script-alert-1-script"),
    ('"><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(1)>',
     "img-src-x-onerror-alert-1"),
    # accents and other Latin letters are kept
    ("Café", "café", "café"),
    ("CAFÉ", "café", "café"),
    ("cafe\u0301", "cafe\u0301", "cafe\u0301"),
    ("Crème Brûlée", "crème brûlée", "crème-brûlée"),
    ("Straße", "straße", "straße"),
    ("Ærø", "ærø", "ærø"),
    ("Łódź", "łódź", "łódź"),
    ("İstanbul", "i\u0307stanbul", "i\u0307stanbul"),
    ("DİYARBAKIR", "di\u0307yarbakir", "di\u0307yarbakir"),
    ("ıi", "ıi", "ıi"),
    ("Ǆ", "ǆ", "ǆ"),
    ("µ", "µ", "µ"),
    ("°C", "°c", "c"),
    ("¿Qué?", "¿qué?", "qué"),
    ("¡Hola!", "¡hola!", "hola"),
    # Greek (no final-sigma rule), Cyrillic, letterlike signs that lower to letters
    ("ΣΟΦΟΣ", "σοφοσ", "σοφοσ"),
    ("Σ", "σ", "σ"),
    ("ΌΣΟΣ", "όσοσ", "όσοσ"),
    ("Русский", "русский", "русский"),
    ("K (Kelvin sign)", "k (kelvin sign)", "k-kelvin-sign"),
    ("\u212b (Angstrom sign)", "\u00e5 (angstrom sign)", "\u00e5-angstrom-sign"),
    ("\u2126 (Ohm sign)", "\u03c9 (ohm sign)", "\u03c9-ohm-sign"),
    ("\U00010400\U00010401", "\U00010428\U00010429", "\U00010428\U00010429"),
    # CJK and Hangul are kept; CJK punctuation separates
    ("機械学習", "機械学習", "機械学習"),
    ("データ分析", "データ分析", "データ分析"),
    ("データ・サイエンス", "データ・サイエンス", "データ-サイエンス"),
    ("統計、確率", "統計、確率", "統計-確率"),
    ("「引用」", "「引用」", "引用"),
    ("【重要】", "【重要】", "重要"),
    ("한국어", "한국어", "한국어"),
    ("데이터 과학", "데이터 과학", "데이터-과학"),
    ("Ｒ", "ｒ", "ｒ"),
    ("Ｃ＋＋", "ｃ＋＋", "ｃ"),
    # emoji and symbols separate
    ("🐍 Python", "🐍 python", "python"),
    ("Python 🐍", "python 🐍", "python"),
    ("👩\u200d💻 coding", "👩\u200d💻 coding", "coding"),
    ("☕ coffee", "☕ coffee", "coffee"),
    ("€uro", "€uro", "uro"),
    ("a…b", "a…b", "a-b"),
    ("a—b", "a—b", "a-b"),
    # Windows device names
    ("CON", "con", "con-category"),
    ("COM9", "com9", "com9-category"),
    ("nul!", "nul!", "nul-category"),
    ("con.txt", "con.txt", "con-txt"),
    ("com0", "com0", "com0"),
    ("console", "console", "console"),
    # length: at most 64 characters, no trailing "-" after the cut
    ("a" * 65, "a" * 65, "a" * 64),
    ("x" * 63 + " y", "x" * 63 + " y", "x" * 63),
    ("x" * 62 + " y", "x" * 62 + " y", "x" * 62 + "-y"),
    # nothing left: the hash of the lower-cased label (FNV-1a of b"" is 0x811c9dc5)
    ("", "", "c-811c9dc5"),
]
# fmt: on

# Names whose expected values come from the reference rules (kept compact on purpose).
# fmt: off
RULE_ONLY: list[str] = [
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


def all_labels() -> list[str]:
    """Every name: hand-written ones, the rule-only list, one per Python whitespace character."""
    names = [label for label, _, _ in HAND_WRITTEN] + RULE_ONLY
    names += [f"ws{chr(code)}{code:04x}" for code in range(0x110000) if chr(code).isspace()]
    return list(dict.fromkeys(names))


def build_vectors() -> dict[str, object]:
    """The file's content; raises if the reference rules disagree with a hand-written value."""
    hand = {label: (key, slug) for label, key, slug in HAND_WRITTEN}
    vectors = []
    for label in all_labels():
        derived = (reference_key(label), reference_slug(label))
        if label in hand and hand[label] != derived:
            raise AssertionError(f"{label!r}: written by hand {hand[label]}, rules give {derived}")
        key, slug = hand.get(label, derived)
        source = "hand" if label in hand else "rule"
        vectors.append({"label": label, "key": key, "slug": slug, "source": source})
    return {
        "comment": "Written by tests/data/make_category_vectors.py: 'hand' values typed in, "
        "'rule' values from its reference statement of the rules; not from nbpost.slugs.",
        "vectors": vectors,
    }


def render() -> str:
    """The exact text of the vector file (ASCII-only JSON, so odd characters stay visible)."""
    return json.dumps(build_vectors(), indent=1, ensure_ascii=True) + "\n"


if __name__ == "__main__":
    VECTORS_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {VECTORS_PATH} ({len(all_labels())} vectors)")
