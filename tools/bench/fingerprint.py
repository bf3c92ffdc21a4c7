"""What saved code *does*, as a short hash: the study and ablation tables are stale when it changes.

The hash is taken over each function's syntax tree, not its text, with what
cannot change a successful run left out: docstrings, comments and formatting,
guard clauses (an ``if`` whose body only raises) and argument checks (a call
``require_*(value, ...)`` counts as ``value``: it returns its argument or
refuses it). So a docstring fix or a clearer error message costs no re-run,
while a changed learning rate, batch size or layer does.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
from typing import Iterable


class _Behaviour(ast.NodeTransformer):
    def _without_docstring(self, node):
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
        return node

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        return self._without_docstring(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.generic_visit(node)
        return self._without_docstring(node)

    def visit_Module(self, node):
        self.generic_visit(node)
        return self._without_docstring(node)

    def visit_If(self, node):
        self.generic_visit(node)
        if not node.orelse and all(isinstance(statement, ast.Raise) for statement in node.body):
            return None  # a guard clause: it refuses input, it computes nothing
        return node

    def visit_Expr(self, node):
        call = node.value
        function = getattr(call, "func", None)
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        if isinstance(call, ast.Call) and name.startswith("require_"):
            return None  # an argument check on its own line
        self.generic_visit(node)
        return node

    def visit_Assign(self, node):
        self.generic_visit(node)
        target, value = node.targets[0], node.value
        if len(node.targets) == 1 and isinstance(target, ast.Name) and isinstance(value, ast.Name) \
                and target.id == value.id:
            return None  # what an argument check leaves: x = x
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        if name.startswith("require_") and node.args:
            return node.args[0]  # an argument check returns its argument (converted) or raises
        return node


def behaviour(source: str) -> str:
    """The syntax tree of ``source`` without what cannot change a successful run, as text."""
    tree = _Behaviour().visit(ast.parse(textwrap.dedent(source)))
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


def fingerprint(definitions: Iterable) -> str:
    """Twelve hex digits that change when any of ``definitions`` (functions, classes) would behave differently."""
    text = "\n".join(behaviour(inspect.getsource(obj)) for obj in definitions)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
