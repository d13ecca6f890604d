"""Project settings: where things live (from ``mkdocs.yml``) and the site's rating scale.

claimline reads the few MkDocs settings it needs (``docs_dir``, ``site_dir``,
``site_url``, ``site_name``, ``use_directory_urls``) and its own settings under
``extra: claimline:`` — the place MkDocs reserves for a theme's and its
plugins' extra data, so the file stays valid for MkDocs and its forks.
A value written ``!ENV NAME`` or ``!ENV [NAME, default]`` is read from the environment, as MkDocs reads it.
Every setting is checked for its type, and all problems are reported at once, each at its line and column.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError, Problems
from .read import NULL_TAG, Doc, read_yaml_file

CONFIG_FILE = "mkdocs.yml"
ENV_TAG = "!ENV"
_RESOLVER = yaml.resolver.Resolver()  # what YAML makes of a variable's text: MkDocs reads "" or "null" as null
OWN = ("extra", "claimline")  # where claimline's own settings are
RATINGS = OWN + ("ratings",)
PENDING = "pending"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    value: int | None
    description: str
    icon: str
    colour: str


DEFAULT_SCALE: tuple[Rating, ...] = (
    Rating("true", "True", 5, "The statement is accurate and nothing significant is missing.", "✔", "#1a7f37"),
    Rating("mostly-true", "Mostly true", 4,
           "The statement is accurate but needs clarification or additional information.", "◕", "#4d7c0f"),
    Rating("half-true", "Half true", 3,
           "The statement is partially accurate but leaves out important details or takes things out of context.",
           "◑", "#a16207"),
    Rating("mostly-false", "Mostly false", 2,
           "The statement contains an element of truth but ignores facts that would give a different impression.",
           "◔", "#c2410c"),
    Rating("false", "False", 1, "The statement is not accurate.", "✘", "#b91c1c"),
    Rating("misleading", "Misleading", None,
           "The statement may be literally accurate but gives a false impression.", "⚠", "#7e22ce"),
    Rating("unproven", "Unproven", None,
           "The evidence available does not prove or disprove the statement.", "?", "#4b5563"),
    Rating(PENDING, "Pending review", None,
           "The claim is recorded and being checked; it has no verdict yet.", "…", "#1d4ed8"),
)


@dataclass
class Settings:
    """Everything a run needs to know about the project, resolved to absolute paths."""

    root: Path
    config_file: Path
    docs_dir: Path
    site_dir: Path
    site_name: str = "Fact checks"
    site_url: str = ""
    use_directory_urls: bool = True
    content_dir: Path = field(default=Path("content"))
    claims_dir: Path = field(default=Path("claims"))
    overrides_dir: Path = field(default=Path("site-overrides"))
    organisation: dict = field(default_factory=dict)
    scale: tuple[Rating, ...] = DEFAULT_SCALE
    plugin_missing: tuple[int, int] | None = None  # where mkdocs.yml lists plugins without claimline
    page_size: int = 100
    month_split: int = 120  # a timeline year (or a story) with more entries than this is split by month (year)
    latest: int = 10

    @property
    def ratings(self) -> dict[str, Rating]:
        return {r.id: r for r in self.scale}

    @property
    def numeric(self) -> list[Rating]:
        return [r for r in self.scale if r.value is not None]


def _bool(value, default: bool) -> bool:
    if value is None:
        return default
    return str(value).strip().lower() in ("true", "yes", "on", "1")


def read_config(path: Path, problems: Problems) -> Doc | None:
    """``mkdocs.yml`` as MkDocs reads it: each ``!ENV`` value replaced by its environment variable's."""
    doc = read_yaml_file(path, problems)
    if doc is not None and not problems.errors:
        text, _ = doc.source() if callable(doc.source) else doc.source
        if ENV_TAG in text:  # the reader keeps no tags: composed again, only for this file
            node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            _resolve_env(doc, node, (), problems)
    return doc


def _resolve_env(doc: Doc, node: yaml.Node | None, loc: tuple, problems: Problems) -> None:
    """Replace each ``!ENV`` value below ``node`` (at ``loc`` in ``doc.data``, which the reader made from the
    same nodes) as MkDocs does: ``!ENV NAME`` or ``!ENV [NAME, OTHER, default]`` is the text of the first
    variable set (null if YAML reads it as null), else the default (a list's last item, if it has two or
    more), else null."""
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _resolve_env(doc, item, loc + (i,), problems)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:  # every key is text: the reader reported any other, and then none is resolved
            _resolve_env(doc, value, loc + (key.value,), problems)
    if node is None or node.tag != ENV_TAG:
        return
    names, default = [node], None
    if isinstance(node, yaml.SequenceNode):
        names = node.value[:-1] if len(node.value) > 1 else node.value
        default = _at(doc.data, loc + (len(node.value) - 1,)) if len(node.value) > 1 else None
    for name in names:
        if not isinstance(name, yaml.ScalarNode):
            problems.error(doc.path, (name.start_mark.line + 1, name.start_mark.column + 1),
                           "!ENV takes the name of an environment variable, or a list of names and a default",
                           'write e.g. site_url: !ENV SITE_URL, or site_url: !ENV [SITE_URL, "https://example.org/"]')
            return
    value = next((os.environ[name.value] for name in names if name.value in os.environ), None)
    if value is None:
        value = default
    elif _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == NULL_TAG:
        value = None
    if loc:
        _at(doc.data, loc[:-1])[loc[-1]] = value
    else:
        doc.data = value


def _at(data, loc: tuple):
    """The value at ``loc`` in ``data`` (there is one: the reader made ``data`` from the nodes walked)."""
    for key in loc:
        data = data[key]
    return data


class _Reader:
    """The settings in ``mkdocs.yml``, each checked for its type; every problem is collected in ``problems``
    with its position, so that one run reports them all."""

    def __init__(self, doc: Doc, problems: Problems, root: Path):
        self.doc, self.problems, self.root = doc, problems, root

    def error(self, loc: tuple, message: str, hint: str = "") -> None:
        self.problems.error(self.doc.path, self.doc.at(loc), message, hint)

    def get(self, loc: tuple):
        """The value at ``loc``; None where there is none (a level that is not a mapping is reported by
        :meth:`mapping`)."""
        data = self.doc.data
        for key in loc:
            if isinstance(data, dict) and isinstance(key, str):
                data = data.get(key)
            elif isinstance(data, list) and isinstance(key, int) and key < len(data):
                data = data[key]
            else:
                return None
        return data

    def mapping(self, loc: tuple) -> dict:
        value = self.get(loc)
        if value is not None and not isinstance(value, dict):
            self.error(loc, f"{_name(loc)} must be a mapping of settings, not {_kind(value)}",
                       "write its settings indented on the lines below it, one 'name: value' a line")
        return value if isinstance(value, dict) else {}

    def text(self, loc: tuple, default: str | None, example: str = "") -> str | None:
        """The text at ``loc`` (``default`` if it is missing or empty); a list or mapping is reported."""
        value = self.get(loc)
        if isinstance(value, (dict, list)):
            self.error(loc, f"{_name(loc)} must be a single value, not {_kind(value)}",
                       f"write it on one line, e.g. {loc[-1]}: {example}" if example else "")
            return default
        return default if value is None or value == "" else value

    def folder(self, loc: tuple, default: str) -> Path:
        """A folder inside the project (``default`` if not set)."""
        value = self.text(loc, default, default)
        what = ".".join(loc[-2:]) if loc[0] == "theme" else loc[-1]
        try:
            path = (self.root / value).resolve()
        except ValueError:  # a NUL character
            path = self.root
        if path == self.root or self.root not in path.parents:
            self.error(loc, f"{what} '{value}' must be a folder inside the project",
                       f"use a relative path such as '{default}'")
            return self.root / default
        return path

    def number(self, loc: tuple, default: int) -> int:
        """A whole number, at least 1 (``default`` if not set)."""
        value = self.text(loc, None, str(default))
        if value is not None and _whole(value) is None:
            self.error(loc, f"{_name(loc)} must be a whole number", f"write e.g. {loc[-1]}: {default}")
        return default if value is None or _whole(value) is None else max(1, _whole(value))


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _name(loc: tuple) -> str:
    """``extra.claimline.ratings[2].value``: a setting's name as an editor finds it in ``mkdocs.yml``."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in loc).lstrip(".")


def _kind(value) -> str:
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else f"'{value}'"


def load_settings(project: Path | str = ".") -> Settings:
    """Read ``mkdocs.yml`` in ``project``; raise :class:`ConfigError`, naming every problem, when it cannot be
    used."""
    root = Path(project).resolve()
    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {root}", "run claimline in the project folder, or pass --project DIR")
    problems = Problems(root=root)
    doc = read_config(config_file, problems)
    if problems.errors or doc is None:
        raise ConfigError(problems.text())
    get = _Reader(doc, problems, root)
    get.mapping(("extra",))
    own = get.mapping(OWN)
    site_name = str(get.text(("site_name",), "Fact checks", "Example fact checks"))
    site_url = str(get.text(("site_url",), "", "https://example.org/"))
    settings = Settings(
        root=root,
        config_file=config_file,
        docs_dir=get.folder(("docs_dir",), "docs"),
        site_dir=get.folder(("site_dir",), "site"),
        site_name=site_name,
        site_url=site_url,
        use_directory_urls=_bool(get.text(("use_directory_urls",), None, "true"), True),
        content_dir=get.folder(OWN + ("content_dir",), "content"),
        claims_dir=get.folder(OWN + ("claims_dir",), "claims"),
        overrides_dir=get.folder(("theme", "custom_dir"), "site-overrides") if get.get(("theme", "custom_dir"))
        else root / "site-overrides",
        organisation=_organisation(get, site_name, site_url),
    )
    data = doc.data if isinstance(doc.data, dict) else {}
    plugins = data.get("plugins") if isinstance(data.get("plugins"), list) else []
    names = {p if isinstance(p, str) else next(iter(p), "") for p in plugins if isinstance(p, (str, dict))}
    if "claimline" not in names:
        settings.plugin_missing = doc.at(("plugins",)) if "plugins" in data else (1, 1)
    for key in ("page_size", "month_split", "latest"):
        setattr(settings, key, get.number(OWN + (key,), getattr(settings, key)))
    if own.get("ratings") is not None:
        settings.scale = _scale(get)
    if problems.errors:
        raise ConfigError(problems.text())
    return settings


def _organisation(get: _Reader, site_name: str, site_url: str) -> dict:
    get.mapping(OWN + ("organisation",))
    name = get.text(OWN + ("organisation", "name"), "", "Example News")
    url = get.text(OWN + ("organisation", "url"), "", "https://example.org/")
    return {"name": str(name or site_name), "url": str(url or site_url)}


_EXAMPLES = {"id": "misleading", "label": "Misleading", "description": "The statement gives a false impression.",
             "icon": "⚠", "colour": "'#b91c1c'", "color": "'#b91c1c'", "value": "1"}  # shown in a hint


def _scale(get: _Reader) -> tuple[Rating, ...]:
    """The site's rating scale, every problem with it reported."""
    if not isinstance(get.get(RATINGS), list) or not get.get(RATINGS):
        get.error(RATINGS, "extra.claimline.ratings must be a list of ratings",
                  "begin each rating with '- id: ...' on a line of its own, and give it a label")
        return DEFAULT_SCALE
    scale: list[Rating] = []
    for i, item in enumerate(get.get(RATINGS)):
        at = RATINGS + (i,)
        if not isinstance(item, dict) or not item.get("id") or not item.get("label"):
            get.error(at, "each rating needs at least an id and a label",
                      "write each rating as '- id: ...' with 'label: ...' on the line below it")
            continue
        before = len(get.problems.items)
        text = {key: get.text(at + (key,), None, example) for key, example in _EXAMPLES.items()}
        if len(get.problems.items) > before:  # a list or a mapping where text belongs
            continue
        rid, spelling = str(text["id"]), "colour" if text["colour"] is not None else "color"
        colour, value = str(text[spelling] or "#4b5563"), text["value"]
        if rid == "index":
            get.error(at + ("id",), "'index' is reserved and cannot be a rating id", "choose another id")
        elif not _ID.fullmatch(rid):
            get.error(at + ("id",), f"rating id '{rid}' may use only lower-case letters, digits, '-' and '_'")
        elif rid in {r.id for r in scale}:
            get.error(at + ("id",), f"two ratings share the id '{rid}'", "give each rating an id of its own")
        if not _COLOUR.match(colour):
            get.error(at + (spelling,), f"colour '{colour}' must be written like #1a7f37",
                      f"write '#' and six hexadecimal digits, in quotes: {spelling}: '#1a7f37'")
        if value is not None and _whole(value) is None:
            get.error(at + ("value",), f"value '{value}' must be a whole number or left out", "write e.g. value: 1")
        elif value is not None and _whole(value) < 1:
            get.error(at + ("value",), "value must be 1 or more (schema.org needs worstRating >= 1)")
        if len(get.problems.items) == before:
            scale.append(Rating(rid, str(text["label"]), None if value is None else _whole(value),
                                str(text["description"] or ""), str(text["icon"] or "•")[:4], colour))
    if PENDING not in {r.id for r in scale}:
        scale.append(next(r for r in DEFAULT_SCALE if r.id == PENDING))
    return tuple(scale)
