"""Project settings: where things live (from ``mkdocs.yml``) and the site's rating scale.

claimline reads the few MkDocs settings it needs (``docs_dir``, ``site_dir``,
``site_url``, ``site_name``, ``use_directory_urls``) and its own settings under
``extra: claimline:`` — the place MkDocs reserves for a theme's and its
plugins' extra data, so the file stays valid for MkDocs and its forks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, Problems
from .read import Doc, read_yaml_file

CONFIG_FILE = "mkdocs.yml"
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


def _inside(root: Path, value: str, what: str) -> Path:
    path = (root / value).resolve()
    if path == root or root not in path.parents:
        raise ConfigError(f"{CONFIG_FILE}: {what} '{value}' must be a folder inside the project",
                          "use a relative path such as 'docs'")
    return path


def load_settings(project: Path | str = ".") -> Settings:
    """Read ``mkdocs.yml`` in ``project``; raise :class:`ConfigError` when it cannot be used."""
    root = Path(project).resolve()
    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {root}", "run claimline in the project folder, or pass --project DIR")
    problems = Problems(root=root)
    doc = read_yaml_file(config_file, problems)
    if problems.errors or doc is None:
        raise ConfigError("\n".join(p.format() for p in problems.sorted()))
    data = doc.data if isinstance(doc.data, dict) else {}
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    own = extra.get("claimline") if isinstance(extra.get("claimline"), dict) else {}
    settings = Settings(
        root=root,
        config_file=config_file,
        docs_dir=_inside(root, data.get("docs_dir") or "docs", "docs_dir"),
        site_dir=_inside(root, data.get("site_dir") or "site", "site_dir"),
        site_name=str(data.get("site_name") or "Fact checks"),
        site_url=str(data.get("site_url") or ""),
        use_directory_urls=_bool(data.get("use_directory_urls"), True),
        content_dir=_inside(root, own.get("content_dir") or "content", "content_dir"),
        claims_dir=_inside(root, own.get("claims_dir") or "claims", "claims_dir"),
        organisation=_organisation(own.get("organisation"), data),
    )
    plugins = data.get("plugins") if isinstance(data.get("plugins"), list) else []
    names = {p if isinstance(p, str) else next(iter(p), "") for p in plugins if isinstance(p, (str, dict))}
    if "claimline" not in names:
        settings.plugin_missing = doc.at(("plugins",)) if "plugins" in data else (1, 1)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    if theme.get("custom_dir"):
        settings.overrides_dir = _inside(root, theme["custom_dir"], "theme.custom_dir")
    else:
        settings.overrides_dir = root / "site-overrides"
    for key in ("page_size", "month_split", "latest"):
        if own.get(key) is not None:
            try:
                setattr(settings, key, max(1, int(own[key])))
            except ValueError:
                raise ConfigError(f"{CONFIG_FILE}:{_line(doc, key)}: extra.claimline.{key} must be a whole number")
    if own.get("ratings") is not None:
        settings.scale = _scale(own["ratings"], doc)
    return settings


def _line(doc: Doc, *keys) -> str:
    line, col = doc.at(("extra", "claimline") + keys)
    return f"{line}:{col}"


def _organisation(value, data: dict) -> dict:
    org = value if isinstance(value, dict) else {}
    return {"name": str(org.get("name") or data.get("site_name") or "Fact checks"),
            "url": str(org.get("url") or data.get("site_url") or "")}


def _scale(items, doc: Doc) -> tuple[Rating, ...]:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{CONFIG_FILE}:{_line(doc, 'ratings')}: extra.claimline.ratings must be a list of ratings")
    scale: list[Rating] = []
    for i, item in enumerate(items):
        where = f"{CONFIG_FILE}:{_line(doc, 'ratings', i)}"
        if not isinstance(item, dict) or not item.get("id") or not item.get("label"):
            raise ConfigError(f"{where}: each rating needs at least an id and a label")
        rid = str(item["id"])
        if rid == "index":
            raise ConfigError(f"{where}: 'index' is reserved and cannot be a rating id")
        if not _ID.match(rid):
            raise ConfigError(f"{where}: rating id '{rid}' may use only lower-case letters, digits, '-' and '_'")
        colour = str(item.get("colour") or item.get("color") or "#4b5563")
        if not _COLOUR.match(colour):
            raise ConfigError(f"{where}: colour '{colour}' must be written like #1a7f37")
        value = item.get("value")
        try:
            value = int(value) if value is not None else None
        except ValueError:
            raise ConfigError(f"{where}: value '{value}' must be a whole number or left out") from None
        if value is not None and value < 1:
            raise ConfigError(f"{where}: value must be 1 or more (schema.org needs worstRating >= 1)")
        scale.append(Rating(rid, str(item["label"]), value, str(item.get("description") or ""),
                            str(item.get("icon") or "•")[:4], colour))
    if len({r.id for r in scale}) != len(scale):
        raise ConfigError(f"{CONFIG_FILE}:{_line(doc, 'ratings')}: two ratings share an id")
    if PENDING not in {r.id for r in scale}:
        scale.append(next(r for r in DEFAULT_SCALE if r.id == PENDING))
    return tuple(scale)
