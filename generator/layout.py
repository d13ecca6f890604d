"""Stage 3, first step — the project's folders: checked before any input is read.

Output folders are replaced whole, so none may overlap an input folder; and a symbolic link planted in the
docs folder would be followed by MkDocs and publish what it points to.  Both are reported as problems.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import Settings
from .errors import Problems


def check_layout(settings: Settings, problems: Problems) -> bool:
    """Output folders are replaced whole: one that is (or holds, or lies in) an input folder would lose it.
    And an input folder must be a folder: a file there would read as no inputs, and generate remove every page.

    Paths are resolved, so this also catches ``docs/`` as a symbolic link to ``content/``.
    """
    outputs = {"docs_dir": settings.docs_dir, "site_dir": settings.site_dir}
    folders = {"content_dir": settings.content_dir, "claims_dir": settings.claims_dir,
               "theme.custom_dir": settings.overrides_dir, "site_dir": settings.site_dir}
    ok = True
    for name, out in outputs.items():
        for other, folder in folders.items():
            if other != name and (out == folder or out in folder.parents or folder in out.parents):
                problems.error(settings.config_file, (1, 1), f"the output folder {name} ({_rel(settings, out)}/) "
                               f"overlaps the folder {other} ({_rel(settings, folder)}/)",
                               "claimline replaces its output folders whole; give docs_dir and site_dir folders of "
                               "their own (and check that docs/ and site/ are not symbolic links to other folders)")
                ok = False
    for name, folder in (("content_dir", settings.content_dir), ("claims_dir", settings.claims_dir)):
        if os.path.lexists(folder) and not folder.is_dir():  # a missing folder simply holds no inputs
            problems.error(folder, (1, 1), f"{name} '{_rel(settings, folder)}' is not a folder",
                           "claimline reads its inputs from this folder: rename or remove the file and make a folder "
                           f"of that name, or set extra.claimline.{name} in mkdocs.yml to another folder")
            ok = False
    return ok


def check_output_links(settings: Settings, problems: Problems) -> bool:
    """A symbolic link in docs/ is carried into every new docs/, and MkDocs follows it: it would publish what the
    link points to (``/etc/passwd``), or walk a loop until it crashes.  claimline itself never follows one."""
    found, pending = [], [str(settings.docs_dir)] if settings.docs_dir.is_dir() else []
    while pending:  # os.scandir's entries know whether they are links: no stat per file
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    for link in sorted(found):
        problems.error(link, (1, 1), "symbolic link in the output folder; MkDocs would follow it and publish what "
                       "it points to", f"remove it: {settings.docs_dir.name}/ holds only pages claimline generates "
                       "and files written there by hand")
    return not found


def _rel(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.root).as_posix() if settings.root in path.parents else path.as_posix()
