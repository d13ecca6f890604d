"""generator.yamlquote: what scaffold and extract write reads back as exactly the text meant, for every character."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from generator.errors import Problems
from generator.read import parse_yaml
from generator.yamlquote import yaml_comment, yaml_quoted

CODE_POINTS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]  # surrogates: no text holds them
SPECIAL = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF]  # C0, DEL, C1 (NEL) …


def read_back(text: str) -> object:
    return yaml.safe_load(f"# {yaml_comment(text)}\nvalue: {yaml_quoted(text)}  # {yaml_comment(text)}\n")


@pytest.mark.parametrize("start", range(0, len(CODE_POINTS), 8192))
def test_every_code_point_round_trips(start):
    text = "".join(map(chr, CODE_POINTS[start:start + 8192]))
    assert read_back(text) == {"value": text}


@pytest.mark.parametrize("code", SPECIAL)
def test_each_control_and_line_break_round_trips_alone_and_in_words(code):
    ch = chr(code)
    for text in (ch, f"a{ch}b", f" {ch} ", ch * 3, f"“{ch}”\\{ch}\""):
        assert read_back(text) == {"value": text}, hex(code)


def test_random_text_round_trips_through_the_checkers_reader():
    rng = random.Random(20211208)
    pool = SPECIAL + [ord(c) for c in " \t\"'\\#:-{}[],&*!|>%@`"] + rng.sample(CODE_POINTS, 2000)
    for _ in range(300):
        text = "".join(chr(rng.choice(pool)) for _ in range(rng.randint(0, 40)))
        problems = Problems()
        doc = parse_yaml(f"statement: {yaml_quoted(text)}\n# {yaml_comment(text)}\n", Path("c.yaml"), problems)
        assert not problems.items and doc.data == {"statement": text}, repr(text)
