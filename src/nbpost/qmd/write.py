"""Document -> Quarto markdown (.qmd / .md) text: the writer, the exact inverse of ``qmd.parse``.

Every layout fact a notebook carries (``nbpost.qmd.layout``) is reused while it still holds,
text cells go through ``nbpost.qmd.textcells`` (so they read back exactly and Quarto shows them
as text), and markers are placed by ``nbpost.qmd.markers``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Cell, Document
from . import cellopts, frontkernel, ids, kernels, layout, markers, textcells
from .rawformats import format_to_mimetype, mimetype_to_format
from .scan import RAW_HEADER_RE
from .textcells import TextForm

BOM = "\ufeff"


def knitr(meta: dict[str, Any], language: str) -> bool:
    """Whether Quarto renders the post with knitr (``engine: knitr``, or R chunks and no
    ``jupyter:`` key), which runs chunks in every language, not only the kernel's."""
    engine = meta.get("engine")
    if isinstance(engine, str):
        return engine.lower() == "knitr"
    return language == "r" and "jupyter" not in meta


@dataclass
class _Plan:
    """What the writer decides for a whole document before writing its first line."""

    meta: dict[str, Any] | None  # the first cell's front matter keys, None: no front matter
    kernel: dict[str, Any] | None  # a kernelspec to add to the front matter
    kernel_language: str  # the language it names when it has none (``frontkernel``)
    forms: list[TextForm | None]  # per cell: how a text cell's lines are written


def _front_matter_meta(doc: Document) -> dict[str, Any] | None:
    cell = doc.cells[0] if doc.cells else None
    if cell is None or cell.cell_type == "code" or cell.layout.get("not_front_matter"):
        return None
    known = None if doc.meta_cache is None else (doc.front_matter, doc.meta_cache)
    return layout.front_matter_mapping(cell.source, known, kernels.FRONT_MATTER_KEYS)


def _forms(
    doc: Document,
    language: str,
    knitr: bool,
    fm: bool,
    before: list[TextForm | None] | None = None,
) -> list[TextForm | None]:
    """Each cell's text form (None for code and front matter). ``before`` holds forms made
    for another engine: a cell whose text holds no chunk syntax keeps its form."""
    executable = textcells.executable_for(language, knitr)
    last = len(doc.cells) - 1
    forms: list[TextForm | None] = []
    for position, cell in enumerate(doc.cells):
        if cell.cell_type == "code" or (fm and position == 0):
            forms.append(None)
        elif before is not None and "{" not in cell.source:
            forms.append(before[position])  # no chunk header: the engine changes nothing
        else:
            forms.append(markers.text_form(cell, language, executable, position == last))
    return forms


def _written_languages(doc: Document, forms: list[TextForm | None], language: str) -> Iterator[str]:
    """The chunk languages a reader of the written text sees, in order (found lazily)."""
    for cell, form in zip(doc.cells, forms, strict=True):
        if cell.cell_type == "code":
            yield language
        elif (
            form is not None
            and "lines" not in form.data  # read without looking inside
            and not markers.is_fenced_raw(cell)  # likewise
            and "{" in cell.source
        ):
            text = cell.source if not form.data else "\n".join(form.lines)
            yield from markers.text_facts(text, language)[1]


def _plan(doc: Document, language: str) -> _Plan:
    meta = _front_matter_meta(doc)
    facts = meta or {}
    knitr_engine = isinstance(facts.get("engine"), str) and facts["engine"].lower() == "knitr"
    forms = _forms(doc, language, knitr_engine, meta is not None)
    kernel = frontkernel.kernel_to_write(doc, facts, _written_languages(doc, forms, language))
    # Quarto renders R chunks with knitr unless a jupyter: key says otherwise; knitr runs
    # every language, so more chunk syntax must be escaped in the text
    if not knitr_engine and kernel is None and knitr(facts, language):
        forms = _forms(doc, language, True, meta is not None, forms)
    fill = frontkernel.fill_language(doc) if kernel is not None else language
    return _Plan(meta, kernel, fill, forms)


def emit(doc: Document, with_ids: bool = False) -> str:
    """Write a Document as .qmd text; the exact inverse of ``parse`` for parsed documents."""
    language = doc.language
    facts = doc.layout
    newline = facts.get("newline", "\n")
    # With "\n" line ends, a block of text goes into ``out`` whole rather than line by line.
    whole = newline == "\n"
    out: list[str] = []
    previous: Cell | None = None
    previous_fm = False
    plan = _plan(doc, language)
    for position, cell in enumerate(doc.cells):
        cell_facts = cell.layout
        if position == 0 and plan.meta is not None:
            _write_front_matter(out, cell, plan, with_ids, whole, facts.get("kernel_lines"))
            previous, previous_fm = cell, True
            continue
        if position == 0:
            block = frontkernel.with_kernel(
                None, plan.kernel, facts.get("kernel_lines"), plan.kernel_language
            )
            if block:
                out.extend(block.split("\n"))
                previous, previous_fm = Cell("raw", ""), True
        default_before = 0 if previous is None else 1
        out.extend(layout.unpack_gap(cell_facts.get("before", default_before)))
        form = plan.forms[position]
        data = None if form is None else markers.marker_data(cell, with_ids, False, language, form)
        marked = markers.needs_marker(cell, previous, with_ids, previous_fm, language, data)
        if marked:
            out.append(markers.marker_line(cell, with_ids, False, language, data))
            if form is None or not form.empty or markers.is_fenced_raw(cell):
                out.extend(layout.unpack_gap(cell_facts.get("after_marker", 1)))
        if form is None:
            plain = whole and (marked or not with_ids)  # with a marker, the id is in it
            chunk = _plain_chunk(cell, language, marked) if plain else None
            if chunk is not None:
                out.append(chunk)
            else:
                out.extend(chunk_lines(cell, language, with_ids, marked))
        elif markers.is_fenced_raw(cell):
            out.extend(_raw_lines(cell, form))
        elif whole and form.text is not None and not form.data.keys() & textcells.TEXT_KEYS:
            if form.text:
                out.append(form.text)  # the text as it is: no edge line, nothing to escape
        else:
            out.extend(form.lines)
        previous, previous_fm = cell, False
    if not doc.cells:
        block = frontkernel.with_kernel(
            None, plan.kernel, facts.get("kernel_lines"), plan.kernel_language
        )
        if block:
            out.extend(block.split("\n"))
    out.extend(layout.unpack_gap(facts.get("trailing", 0)))
    return _file_text(out, facts, newline)


def _file_text(out: list[str], facts: dict[str, Any], newline: str) -> str:
    """The written lines as the file's text: line ends, final newline, byte order mark."""
    text = newline.join(out)
    if facts.get("final_newline", True) and (out or "final_newline" in facts):
        text += newline
    while (
        newline == "\n"
        and "\r" in text  # a one-character search first: most text has no CR at all
        and "\r\n" in text
        and text.count("\r\n") == text.count("\n")
    ):
        # every line of the notebook's text ends in CR: one LF-only line keeps a reader from
        # taking the file for CRLF (and dropping the CRs); it reads back as a blank line
        text += "\n"
    if facts.get("bom"):
        text = BOM + text
    return text


def _write_front_matter(
    out: list[str],
    cell: Cell,
    plan: _Plan,
    with_ids: bool,
    whole: bool,
    kernel_as_written: list[str] | None,
) -> None:
    """The front matter block (with the kernel when it must be written) and its marker."""
    block = frontkernel.with_kernel(
        cell.source, plan.kernel, kernel_as_written, plan.kernel_language
    )
    if block and whole:
        out.append(block)
    elif block:
        out.extend(block.split("\n"))
    if cell.cell_type == "markdown" or markers.marker_data(cell, with_ids, True):
        out.extend(layout.unpack_gap(cell.layout.get("fm_marker_before", 0)))
        out.append(markers.marker_line(cell, with_ids, front_matter=True))


def chunk_lines(cell: Cell, language: str, with_ids: bool, marked: bool = False) -> list[str]:
    """A code cell as a chunk: opening fence and header, option lines and source, closing.

    ``marked``: a ``<!-- cell code -->`` marker before it holds the id and lifted metadata,
    and every option line in the source is written as it is (``markers.keeps_options``)."""
    facts = cell.layout
    source_lines = cell.source.split("\n") if cell.source else []
    if not source_lines and facts.get("one_blank_line"):
        source_lines = [""]
    if marked:
        body = list(source_lines)
    else:
        write_id = with_ids and cell.id is not None and cell.id != ids.label_id(cell, language)
        body = cellopts.join_options(
            source_lines, cell.id, cell.metadata, language, facts.get("options"), write_id
        )
    body = layout.quarto_options_from_metadata(cell, language) + body
    frame = layout.chunk_frame(cell, language, body)
    if frame.body_indent:
        indent = frame.body_indent
        body = [indent + line if line else line for line in body]
    return [frame.opening, *body, frame.close]


# Cell metadata chunk_lines writes as option lines (lifted keys, Quarto's options).
_OPTION_METADATA = frozenset((*cellopts.LIFTED_METADATA_KEYS, *layout.QUARTO_OPTION_KEYS))
_QUARTO_METADATA = frozenset(layout.QUARTO_OPTION_KEYS)


def _plain_chunk(cell: Cell, language: str, marked: bool = False) -> str | None:
    """``chunk_lines`` joined by "\\n", for the common chunk, without splitting its source:
    no option lines to add (no ``options`` fact, no option kept in metadata), no indent and
    no line of backticks (the fence then depends on the stored fence alone). None: another
    chunk, written by ``chunk_lines``. Ids are not written here (no ``--with-ids``)."""
    facts = cell.layout
    source = cell.source
    if "```" in source or ("options" in facts and not marked):
        return None
    if cell.metadata.keys() & (_QUARTO_METADATA if marked else _OPTION_METADATA):
        return None
    frame = layout.chunk_frame(cell, language, [])  # no "```" in the body: the same frame
    if frame.body_indent:
        return None
    if source:
        return frame.opening + "\n" + source + "\n" + frame.close
    if facts.get("one_blank_line"):
        return frame.opening + "\n\n" + frame.close
    return frame.opening + "\n" + frame.close


def _raw_lines(cell: Cell, form: TextForm) -> list[str]:
    """A raw cell with a format as a ```` ```{=format} ```` block around its lines."""
    facts = cell.layout
    lines = form.lines
    fmt = mimetype_to_format(cell.metadata.get("raw_mimetype"))
    assert fmt is not None
    fence = layout.valid_fence(facts.get("fence"), lines)
    header = facts.get("raw_header")
    match = RAW_HEADER_RE.match(header) if isinstance(header, str) else None
    if match is None or format_to_mimetype(match.group(1)) != cell.metadata["raw_mimetype"]:
        header = "{=" + fmt + "}"
    assert isinstance(header, str)
    close = facts.get("close")
    if not isinstance(close, str) or close.rstrip(" \t\r") != fence:
        close = fence
    return [fence + header, *lines, close]
