"""Finds text a person would read that does not go through a translation catalog.

A string literal reads as text when, once Slack markup, placeholders, emoji codes, URLs and
commands in backticks are taken out, it holds two words side by side or a capitalised word. It is fine inside
`_()`, `ngettext()`, `pgettext()` or `N_()`, as a docstring, in a log line or an exception,
or on a line marked `# untranslated: <why>` (a brand, a data column's name).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

GETTEXT = {"_", "ngettext", "pgettext", "N_", "gettext"}
NOT_FOR_PEOPLE = {"debug", "info", "warning", "error", "exception", "critical", "log"}  # logging calls
MARKER = "# untranslated:"
# Placeholders, Slack markup, emoji codes, URLs, and commands in backticks (typed as they are, in English).
_NOISE = re.compile(r"\{[^{}]*\}|<[^<>]*>|:[a-z0-9_+\-]+:|https?://\S+|%\([a-z_]+\)[sd]|%[sd]|`[^`]*`")
_TWO_WORDS = re.compile(r"[A-Za-z]{2,}[’']?[a-z]*[ \u00a0]+[A-Za-z(“\"]*[a-z]{2,}")
_CAPITALISED = re.compile(r"(?<![\w/.])[A-Z][a-z]{2,}(?![\w/])")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def reads_as_text(value: str) -> bool:
    rest = _NOISE.sub(" ", value)
    return bool(_TWO_WORDS.search(rest) or _CAPITALISED.search(rest))


def untranslated(path: Path, root: Path) -> list[Finding]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    allowed: set[int] = set()  # ids of nodes that are fine where they are
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                allowed.add(id(body[0].value))
        elif isinstance(node, ast.Call) and _exempt_call(node):
            allowed |= {id(inner) for arg in [*node.args, *(k.value for k in node.keywords)] for inner in ast.walk(arg)}
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            allowed |= {id(inner) for inner in ast.walk(node.value)}
        elif isinstance(node, ast.Raise) and node.exc is not None:
            allowed |= {id(inner) for inner in ast.walk(node.exc)}
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    findings = []
    for node in ast.walk(tree):
        if (
            id(node) in allowed or _marked(lines, node, parents)
            if isinstance(node, (ast.Constant, ast.JoinedStr))
            else True
        ):
            continue
        if isinstance(node, ast.JoinedStr):  # an f-string reads as a whole, its values as placeholders
            allowed |= {id(part) for part in node.values}
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        elif isinstance(node.value, str):
            text = node.value
        else:
            continue
        if reads_as_text(text):
            findings.append(Finding(path.relative_to(root), node.lineno, text[:80]))
    return findings


def _exempt_call(node: ast.Call) -> bool:
    name = (
        node.func.id
        if isinstance(node.func, ast.Name)
        else node.func.attr
        if isinstance(node.func, ast.Attribute)
        else ""
    )
    return name in GETTEXT or name in NOT_FOR_PEOPLE


def _marked(lines: list[str], node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """The marker on the text's own lines, or where an expression holding it ends (the formatter
    puts a trailing comment after the closing bracket), up to its statement."""
    if any(MARKER in lines[number - 1] for number in range(node.lineno, node.end_lineno + 1)):
        return True
    while not isinstance(node, ast.stmt) and (node := parents.get(id(node))) is not None:
        if getattr(node, "end_lineno", None) and MARKER in lines[node.end_lineno - 1]:
            return True
    return False


# --- templates ---------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]*>|^[^<>]*>|<[^<>]*$")  # whole tags, and a tag's ends around an expression
_ATTRIBUTE_TEXT = re.compile(
    r"\b(?:aria-label|title|alt|placeholder)=\"([^\"{]*)\""
)  # what an attribute says to people


def untranslated_in_template(path: Path, root: Path) -> list[Finding]:
    """Text a Jinja template shows outside `_()` (or `{% trans %}`): in its markup, in the
    attributes people read (aria-label, title, alt, placeholder), or as a string constant."""
    from jinja2 import Environment, nodes

    environment = Environment(extensions=["jinja2.ext.i18n"])
    tree = environment.parse(path.read_text(encoding="utf-8"))
    in_gettext = {
        id(inner)
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in GETTEXT
        for inner in call.find_all(nodes.Const)
    }
    findings = []
    for node in tree.find_all(nodes.TemplateData):
        shown = [*_ATTRIBUTE_TEXT.findall(node.data), _TAG.sub(" ", node.data)]
        findings += [
            Finding(path.relative_to(root), node.lineno, " ".join(text.split())[:80])
            for text in shown
            if reads_as_text(text)
        ]
    for node in tree.find_all(nodes.Const):
        if isinstance(node.value, str) and id(node) not in in_gettext and reads_as_text(node.value):
            findings.append(Finding(path.relative_to(root), node.lineno, node.value[:80]))
    return findings
