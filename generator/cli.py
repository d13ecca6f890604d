"""The ``claimline`` command: a thin shell over :mod:`generator.api`.

Each command parses its options, calls one library function and turns the
library's exceptions into messages and exit codes:

0  all is well            1  the inputs have errors (or warnings under --strict)
2  the tool could not run (configuration, engine, file system)
3  a bug in claimline itself (the message says how to report it)
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import ClaimlineError, Problem, ValidationFailed, printable
from .report import FORMATS, counted, json_report, problem_lines, written_summary

BUG_EXIT = 3
REPORT_URL = "the claimline issue tracker"


def _format() -> str:
    return click.get_current_context().meta.get("claimline.format", "text")


def _echo_problems(problems: list[Problem]) -> None:
    fmt = _format()
    if fmt != "json":
        for line in problem_lines(problems, fmt):
            click.echo(line, err=fmt == "text")


def _done(problems: list[Problem], message: str, **summary) -> None:
    """Report a successful run: its warnings, then one line (or one JSON document)."""
    if _format() == "json":
        click.echo(json_report(problems, True, message, **summary))
    else:
        _echo_problems(problems)
        click.echo(message)


def _fail(exc: ClaimlineError) -> None:
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    if _format() == "json":
        click.echo(json_report(problems, False, exc.message, hint=exc.hint or None))
        sys.exit(exc.exit_code)
    _echo_problems(problems)
    if _format() == "github" and not problems:  # the run itself failed: still show it on the pull request
        click.echo(f"::error title=claimline::{printable(exc.message)}".replace("\n", "%0A"))
    click.echo(f"claimline: {printable(exc.message)}", err=True)
    if exc.hint:
        click.echo(f"    hint: {printable(exc.hint)}", err=True)
    sys.exit(exc.exit_code)


def reporting(func):
    """The --format option, for commands that report problems in the inputs."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                  help="How to print problems: text for people, github for GitHub Actions annotations, "
                       "json for other tools.")
    @functools.wraps(func)
    def wrapper(*args, fmt: str, **kwargs):
        click.get_current_context().meta["claimline.format"] = fmt
        return func(*args, **kwargs)

    return wrapper


def command(func):
    """Wrap a command: common options, and no traceback for anything that goes wrong."""

    @click.option("--project", "-p", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                  show_default=True, help="Project folder (the one holding mkdocs.yml).")
    @click.option("--strict", is_flag=True, help="Treat warnings as errors.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        batch = func.__name__ != "serve"  # a one-shot run frees its memory at exit: the cyclic collector
        if batch:                         # walking a growing heap only costs time (13 % at 10,000 claims)
            gc.disable()
        try:
            return func(*args, **kwargs)
        except ClaimlineError as exc:
            _fail(exc)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, SystemExit,
                BrokenPipeError):
            raise
        except OSError as exc:  # the system refused a read or a write (a full disk, say): not a bug to report
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(ClaimlineError(f"{where}{exc.strerror or exc}",
                                 "the file system refused it: check the free space and the permissions, then run "
                                 "the command again"))
        except Exception:  # a bug: say so plainly, keep the details for the report
            click.echo("claimline: internal error — this is a bug in claimline, not in your files.", err=True)
            click.echo(f"Please report it at {REPORT_URL} with the text below:\n", err=True)
            click.echo(traceback.format_exc(limit=-8), err=True)
            sys.exit(BUG_EXIT)
        finally:
            if batch:
                gc.enable()

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimline")
def main() -> None:
    """claimline — fact-check and timeline sites from articles and YAML claim files.

    \b
    Typical use, in the folder that holds mkdocs.yml, content/ and claims/:
      claimline check            # validate everything, write nothing
      claimline build            # generate pages and build site/
      claimline serve            # preview at http://127.0.0.1:8000/
      claimline new claim ID     # start a new claim file
    """


@main.command()
@command
@reporting
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs"]), default="mkdocs", show_default=True,
              help="Site engine that turns the Markdown into HTML: MkDocs 1.6, or ProperDocs, its maintained "
                   "drop-in fork.")
@click.option("--verbose", "-v", is_flag=True,
              help="Show the engine's whole output, including Material's end-of-life notice.")
def build(project: Path, strict: bool, engine: str, verbose: bool) -> None:
    """Generate the pages, then build the site into site/.

    The previous site/ is replaced only when the new build is complete.

    \b
    Examples:
      claimline build --strict
      claimline build --engine properdocs
    """
    from . import api

    result = api.build(project, strict=strict, engine=engine, verbose=verbose)
    message, summary = written_summary(result)
    for line in result.engine_warnings:
        click.echo(line, err=True)
    site = result.settings.site_dir.relative_to(result.settings.root)
    _done(result.warnings, f"{message}\nBuilt the site in {site}/.", site=str(site), **summary)


@main.command()
@command
@reporting
def generate(project: Path, strict: bool) -> None:
    """Write the generated Markdown into the docs folder named in mkdocs.yml.

    Only changed files are written; pages that no longer exist are removed.

    \b
    Example:
      claimline generate && mkdocs build
    """
    from . import api

    result = api.generate(project, strict=strict)
    message, summary = written_summary(result)
    _done(result.warnings, message, **summary)


@main.command()
@command
@reporting
def check(project: Path, strict: bool) -> None:
    """Read and validate every article and claim; write nothing.

    Every problem is listed as path:line:col: severity: message. Exits 0
    when all is well, 1 when there are errors (or warnings with --strict).

    \b
    Examples:
      claimline check --strict
      claimline check --format github     # annotations in GitHub Actions
      claimline check --format json > problems.json
    """
    from . import api

    result = api.check(project, strict=strict)
    claims, articles = len(result.site.claims), len(result.site.articles)
    _done(result.warnings, f"OK: {counted(claims, 'claim')} and {counted(articles, 'article')} checked"
          + (f", {counted(len(result.warnings), 'warning')}." if result.warnings else ", no problems."),
          claims=claims, articles=articles)


@main.command()
@command
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Address to serve the preview on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def serve(project: Path, strict: bool, dev_addr: str, open_browser: bool) -> None:
    """Preview the site; it regenerates and refreshes when an input is saved.

    Saving a file under content/, claims/ or site-overrides/ rebuilds the
    preview; errors are printed and the last good pages stay up.

    \b
    Example:
      claimline serve --dev-addr 127.0.0.1:8001
    """
    from . import api

    api.serve(project, strict=strict, dev_addr=dev_addr, open_browser=open_browser)


@main.command()
@command
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Also save each draft as claims/_drafts/<id>.yaml (never overwrites).")
def extract(project: Path, strict: bool, article: Path, write: bool) -> None:
    """Draft claims from an article: quotes with their speakers, and dates.

    Prints the drafts as YAML claims (rating: pending) and the dated events
    found; relative dates are resolved against the article's date, anything
    uncertain is flagged for review, never guessed. --write saves them in
    claims/_drafts/, which check ignores until an editor moves a reviewed
    file into claims/. With --strict any warning (an undated article, one
    outside content/) stops it: exit 1, no drafts printed or saved.

    \b
    Examples:
      claimline extract content/putin-biden-summit-2021-12-08.txt
      claimline extract content/putin-biden-summit-2021-12-08.txt --write
    """
    from . import api

    drafts = api.extract(project, article, write, strict)
    _echo_problems(drafts.warnings)
    click.echo(drafts.yaml, nl=False)
    for path in drafts.written:
        click.echo(f"Wrote {path.relative_to(Path(project).resolve())}", err=True)
    if write and not drafts.written:
        click.echo("No new drafts written: every draft already exists in claims/_drafts/.", err=True)


@main.group("import")
def import_() -> None:
    """Import fact-checks published elsewhere into claims/imported/.

    Verdicts map onto the site's rating scale through a table you can extend
    under extra: claimline: import_ratings: in mkdocs.yml; a verdict that does
    not map is kept in its original words and the claim stays pending. The
    original reviewer is credited on each page. Re-importing the same file
    changes nothing. Every claim written passes `claimline check`.

    \b
    Examples:
      claimline import claimreview fact_checks.jsonld
      claimline import liar liar_dataset/train.tsv
    """


def _import_command(name: str, what: str, example: str):
    @import_.command(name, help=f"""Import {what}.

    Prints what was written and skipped, each anomaly in the data, and the
    verdicts that did not map onto the scale. With --strict, exits 1 when a
    record was skipped.

    \b
    Example:
      claimline import {name} {example}
    """)
    @command
    @click.argument("path", type=click.Path(exists=True, path_type=Path))
    @click.option("--dest", type=click.Path(file_okay=False, path_type=Path),
                  help="Folder inside claims/ to write to (default: claims/imported/<source>/).")
    @click.option("--verbose", "-v", is_flag=True, help="List every skipped record, anomaly and unmapped verdict.")
    def run_import(project: Path, strict: bool, path: Path, dest: Path | None, verbose: bool) -> None:
        from . import importers
        from .config import load_settings

        report = getattr(importers, f"import_{name}")(load_settings(project), path, dest)
        click.echo(report.format(verbose=verbose))
        if strict and report.skipped:
            sys.exit(1)

    return run_import


_import_command("claimreview", "schema.org ClaimReview JSON-LD: one object, a list, a DataFeed, JSON Lines, or "
                "one <script type=\"application/ld+json\"> element per line", "fact_checks.jsonld")
_import_command("liar", "the LIAR data set (tab-separated, 14 columns, no dates: claims get date: unknown); "
                "PATH may be one .tsv file or a folder of them", "liar_dataset/train.tsv")


@main.command()
@command
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a schema is out of date.")
def schema(project: Path, strict: bool, check_only: bool) -> None:
    """Write the JSON Schemas editors' tools use to complete and check fields.

    claims/claim.schema.json (with this site's rating ids) and
    content/article.schema.json are generated from claimline's model. VS Code's
    YAML extension picks up the claim schema through .vscode/settings.json and
    the first line of files made by `claimline new claim`.

    \b
    Examples:
      claimline schema
      claimline schema --check      # in CI or a pre-commit hook
    """
    from .config import load_settings
    from .schema import stale_schemas, write_schemas

    settings = load_settings(project)
    if check_only:
        stale = stale_schemas(settings)
        for path in stale:
            click.echo(f"{path.relative_to(settings.root)}: out of date; run claimline schema", err=True)
        sys.exit(1 if stale else 0)
    written = write_schemas(settings)
    for path in written:
        click.echo(f"Wrote {path.relative_to(settings.root)}")
    if not written:
        click.echo("Schemas are up to date.")


@main.group()
def new() -> None:
    """Create new input files from documented templates.

    \b
    Example:
      claimline new claim putin-peaceful-policy
    """


@new.command("claim")
@command
@click.argument("slug")
@click.option("--statement", prompt="What was claimed", help="The claim, as plain text.")
@click.option("--claimant", prompt="Who claimed it", help="Name of the person or organisation.")
@click.option("--date", "date_", default=lambda: dt.date.today().isoformat(), show_default="today",
              prompt="When (2021-12-07, 2021-12 or 2021)", help="When the claim was made.")
@click.option("--rating", default="pending", show_default=True, help="Rating id, or pending.")
def new_claim(project: Path, strict: bool, slug: str, statement: str, claimant: str, date_: str,
              rating: str) -> None:
    """Create claims/SLUG.yaml with every field present and documented.

    Refuses to overwrite an existing claim.

    \b
    Example:
      claimline new claim putin-peaceful-policy \\
        --statement "Moscow pursues a peaceful foreign policy" \\
        --claimant "Vladimir Putin" --date 2021-12-08
    """
    from .config import load_settings
    from .scaffold import new_claim as scaffold_claim

    settings = load_settings(project)
    path = scaffold_claim(settings, slug, statement, claimant, date_, rating)
    click.echo(f"Wrote {path.relative_to(settings.root)}")


@new.command("article")
@command
@click.argument("slug")
@click.option("--title", prompt="Headline", help="The article's title.")
@click.option("--date", "date_", default=lambda: dt.date.today().isoformat(), show_default="today",
              prompt="Published (2021-12-08)", help="Publication date.")
@click.option("--format", "fmt", type=click.Choice(["md", "txt"]), default="md", show_default=True,
              help="Markdown, or plain text in the seed's shape (title line, standfirst line, body).")
def new_article(project: Path, strict: bool, slug: str, title: str, date_: str, fmt: str) -> None:
    """Create content/SLUG.md (or .txt) with its front matter documented.

    Refuses to overwrite an existing article.

    \b
    Example:
      claimline new article putin-biden-summit-2021-12-08 \\
        --title "Russia has 'right to defend security': Putin" --date 2021-12-08
    """
    from .config import load_settings
    from .scaffold import new_article as scaffold_article

    settings = load_settings(project)
    path = scaffold_article(settings, slug, title, date_, fmt)
    click.echo(f"Wrote {path.relative_to(settings.root)}")


if __name__ == "__main__":  # pragma: no cover
    main()
