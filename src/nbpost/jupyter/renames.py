"""Renames and moves through Jupyter keep both sides of a pair valid (plain functions).

* A notebook renamed to ``X.qmd`` (JupyterLab's first-save "Rename file" dialog, or the file
  browser) becomes a post: ``X.qmd`` is written as nbpost's text of it (verified like a save)
  and the notebook moves to ``X.ipynb`` (or its place in the notebook folder), keeping its
  outputs; the two are recorded as synced. A notebook already paired is not turned into a
  second post: rename its post instead.
* A post renamed to ``X.ipynb`` is refused: text is not a notebook (Open With -> Notebook, or
  ``nbpost pair``, makes one).
* Renaming or moving one side of a pair moves its partner along (beside it, or at the mirrored
  place in the notebook folder), with its checkpoints, the post's pasted images
  (``<stem>_files/attachments``) and the pair's sync record; a folder move does the same for
  every pair with a side inside it. A move that would overwrite an existing file, or leave
  the server's root, is refused before anything moves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import attachments, ipynb
from ..errors import NbpostError
from ..project.paths import is_inside
from ..project.walk import walk_posts
from ..sync import Pair
from ..sync.pairs import is_notebook, is_text, partner_candidates, text_can_pair
from ..textio import decode_utf8
from .pairing import SaveRefused, pair_of, read_bytes, text_from_notebook


@dataclass
class Conversion:
    """A notebook renamed to a text name: the text to write, and where the notebook goes."""

    text_path: Path
    text: str
    files: dict[Path, bytes]
    notebook_target: Path
    notebook: bytes  # the notebook as read (and moved): what the pair is recorded with


@dataclass
class RenamePlan:
    """What a rename does besides Jupyter's own move of ``source`` to ``target``."""

    source: Path
    target: Path
    moves: list[tuple[Path, Path]] = field(default_factory=list)  # partners, images
    records: list[tuple[Pair, Pair]] = field(default_factory=list)
    conversion: Conversion | None = None
    problems: list[str] = field(default_factory=list)


def plan_rename(source: Path, target: Path, root: Path) -> RenamePlan | None:
    """What renaming ``source`` to ``target`` must also do; None when nothing (not a post,
    notebook or folder holding pairs). Raises SaveRefused when the rename must not happen."""
    if source.is_dir():
        plan = _plan_folder(source, target, root)
    elif is_notebook(source) and is_text(target):
        plan = _plan_conversion(source, target, root)
    elif is_text(source) and is_notebook(target):
        raise SaveRefused(
            f"is a post (text), not a notebook; to edit it as a notebook use Open With -> "
            f"Notebook, or run 'nbpost pair {source.name}'",
            source,
            400,
        )
    elif is_text(source) or is_notebook(source):
        plan = _plan_file(source, target, root)
    else:
        return None
    for old, new in plan.moves:
        if new.exists() or new.is_symlink():
            raise SaveRefused(f"moving {old.name} along would overwrite {new}", source)
        if not is_inside(new, root):
            raise SaveRefused(f"moving {old.name} along would leave the server's root", source, 403)
    if not plan.moves and not plan.records and plan.conversion is None:
        return None
    return plan


def _new_partner(moved_old: Path, moved_new: Path, partner: Path) -> Path:
    """Where ``partner`` goes when its side moves from ``moved_old`` to ``moved_new``."""
    if partner.parent == moved_old.parent and partner.stem == moved_old.stem:
        return moved_new.with_suffix(partner.suffix)  # side by side stays side by side
    candidates = partner_candidates(moved_new)  # the mirrored places come after the beside ones
    mirrored = [c for c in candidates if c.parent != moved_new.parent]
    same_suffix = [c for c in mirrored if c.suffix.lower() == partner.suffix.lower()]
    return (same_suffix or mirrored or [moved_new.with_suffix(partner.suffix)])[0]


def _images(text_old: Path, text_new: Path) -> list[tuple[Path, Path]]:
    """The post's pasted images, when it moves to another folder (its links stay valid)."""
    folder = text_old.parent / attachments.folder_for(text_old)
    if text_new.parent == text_old.parent or not folder.is_dir():
        return []
    return [(folder, text_new.parent / attachments.folder_for(text_old))]


def _plan_file(source: Path, target: Path, root: Path) -> RenamePlan:
    plan = RenamePlan(source, target)
    found = pair_of(source, root)
    if found.problem:
        plan.problems.append(found.problem)
    pair = found.pair
    if pair is None:
        return plan
    partner = pair.ipynb if source == pair.qmd else pair.qmd
    moved = _new_partner(source, target, partner)
    plan.moves.append((partner, moved))
    new_pair = Pair(target, moved) if source == pair.qmd else Pair(moved, target)
    if not text_can_pair(new_pair.qmd):
        raise SaveRefused(
            f"{new_pair.qmd.name} would no longer pair with its notebook (a .md pairs only "
            "inside a Quarto project); rename it to a .qmd",
            source,
        )
    plan.moves.extend(_images(pair.qmd, new_pair.qmd))
    plan.records.append((pair, new_pair))
    return plan


def _plan_folder(source: Path, target: Path, root: Path) -> RenamePlan:
    plan = RenamePlan(source, target)
    seen: set[Pair] = set()
    for path in walk_posts(source):  # what sync walks: build output and hidden folders skipped
        found = pair_of(path, root)
        if found.pair is None or found.pair in seen:
            continue
        pair = found.pair
        seen.add(pair)
        inside_qmd, inside_nb = is_inside(pair.qmd, source), is_inside(pair.ipynb, source)
        new_qmd = target / pair.qmd.relative_to(source) if inside_qmd else pair.qmd
        new_nb = target / pair.ipynb.relative_to(source) if inside_nb else pair.ipynb
        if inside_qmd and not inside_nb:
            new_nb = _new_partner(pair.qmd, new_qmd, pair.ipynb)
            plan.moves.append((pair.ipynb, new_nb))
        elif inside_nb and not inside_qmd:
            new_qmd = _new_partner(pair.ipynb, new_nb, pair.qmd)
            plan.moves.append((pair.qmd, new_qmd))
        plan.records.append((pair, Pair(new_qmd, new_nb)))
    return plan


def _plan_conversion(source: Path, target: Path, root: Path) -> RenamePlan:
    found = pair_of(source, root)
    if found.pair is not None:
        raise SaveRefused(
            f"is paired with {found.pair.qmd.name}; rename that post instead (its notebook "
            "follows)",
            source,
        )
    if target.exists():
        raise SaveRefused(f"{target.name} already exists", target)
    if not text_can_pair(target):
        raise SaveRefused(
            "a .md pairs with a notebook only inside a Quarto project; rename it to a .qmd",
            target,
        )
    candidates = partner_candidates(target)
    notebook_target = candidates[-1]  # the notebook folder when one is set, else beside
    if notebook_target != source and notebook_target.exists():
        raise SaveRefused(f"its notebook would overwrite {notebook_target}", target)
    if not is_inside(notebook_target, root):
        raise SaveRefused(
            f"its notebook would go to {notebook_target}, outside the server's root", target, 403
        )
    raw = read_bytes(source) or b""
    try:
        nb = ipynb.loads(decode_utf8(raw, source), source)
    except NbpostError as exc:
        raise SaveRefused(f"cannot become a post: {exc.message}", source, 400) from None
    text, files = text_from_notebook(json.loads(json.dumps(nb)), target, None)
    for image in files:
        if not is_inside(image, root):
            raise SaveRefused(
                "a pasted image would be written outside the server's root", source, 403
            )
    plan = RenamePlan(source, target)
    plan.conversion = Conversion(target, text, files, notebook_target, raw)
    return plan
