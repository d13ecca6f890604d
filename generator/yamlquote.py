"""YAML text that reads back exactly as it was meant: the values and comments claimline writes for editors.

A JSON string is a YAML double-quoted scalar, but YAML reads a few characters JSON leaves raw otherwise, or
refuses them: DEL and the C1 controls (U+007F-U+009F) may not appear in a YAML stream at all, NEL (U+0085),
U+2028 and U+2029 are line breaks (folded into a space inside quotes, the end of a comment), a byte-order mark
(U+FEFF) may be dropped, and U+FFFE, U+FFFF and lone surrogates are not characters.  Those are written as
``\\uXXXX`` escapes, which YAML reads back as the very character.  ``tests/test_extract.py`` checks the round
trip through ``yaml.safe_load`` for every character.
"""

from __future__ import annotations

import json
import re

# what may not stand raw in a double-quoted scalar or a comment (tab may: JSON escapes it in a value anyway)
_RAW = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _escape(m: re.Match) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def yaml_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that ``yaml.safe_load`` reads back as ``text``, character for
    character (JSON escapes quotes, backslashes and C0 controls; the rest YAML reads otherwise is escaped)."""
    return _RAW.sub(_escape, json.dumps(text, ensure_ascii=False))


def yaml_comment(text: str) -> str:
    """``text`` for one ``# …`` comment line: line breaks and characters YAML refuses are shown as escapes."""
    return _RAW.sub(_escape, text)
