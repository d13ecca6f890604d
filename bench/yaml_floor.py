"""The YAML-parse floor: read every claim file and every article's front matter, compose it with positions.

    python bench/yaml_floor.py CLAIMS_DIR CONTENT_DIR [--values] [--pure]

This is what ``generator/read.py`` did for every file until plain documents were read by rapidyaml, with
positions composed by PyYAML only when a problem asks (``generator/yamlfast.py``): read the inputs and parse
the YAML keeping line and column.  The wall time of this whole process, interpreter start-up included, is
the floor that ``bench/run.py`` compares ``claimline generate`` with, as it has since the first run.  It deliberately imports nothing but PyYAML and the standard library.

``--values`` parses each document into Python values instead (``yaml.load`` with CSafeLoader, no positions):
what the issue's own yardstick times ("CSafeLoader parses 10,000 claims of ~4 KB plus 2,000 articles in about
2 s").  Building the values costs more than composing the nodes, so this floor is the higher of the two;
``bench/run.py`` reports both and judges the target against the lower one, composing.

``--pure`` uses PyYAML's pure-Python ``SafeLoader`` instead of the C loader, to check which of the two floors
the issue timed: it says the pure-Python loader "needs 12× longer", and only one of the ratios is near that
(``bench/RESULTS.md``, item 52).
"""

import os
import re
import sys

import yaml

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
CLAIMS = (".yaml", ".yml")
ARTICLES = (".md", ".markdown", ".txt")


def files(folder, suffixes):
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(names):
            if name.lower().endswith(suffixes) and not name.startswith((".", "_")):
                yield os.path.join(here, name)


def read(path):
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8-sig").replace("\r\n", "\n")


def main():
    claims_dir, content_dir, flags = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    if unknown := flags - {"--values", "--pure"}:
        sys.exit(f"unknown option: {' '.join(sorted(unknown))}")
    parse = yaml.load if "--values" in flags else yaml.compose
    loader = yaml.SafeLoader if "--pure" in flags else yaml.CSafeLoader
    claims = articles = nodes = 0
    for path in files(claims_dir, CLAIMS):
        nodes += parse(read(path), Loader=loader) is not None
        claims += 1
    for path in files(content_dir, ARTICLES):
        match = FRONT_MATTER.match(read(path))
        if match:
            nodes += parse(match.group(1) or "", Loader=loader) is not None
        articles += 1
    print(f"{claims} claims, {articles} articles, {nodes} YAML documents ({loader.__name__})")


if __name__ == "__main__":
    main()
