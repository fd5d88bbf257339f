"""Size limits for the repository's Python, as ESLint's max-lines and max-lines-per-function are
for TypeScript: a file of at most 300 lines and a function of at most 80, blank lines and
comment-only lines not counted. Ruff has no such rule, so this small script (standard library
only) checks them; scripts/lint-python.mjs runs it on the files it lints.

Usage: python3 scripts/python_sizes.py [--allow FILE]... FILE...
Prints `file:line: SIZE message` per finding and exits 1 when there is any.
"""

import ast
import sys

MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 80


def counted(lines):
    """The lines that count: not blank and not only a comment."""
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def findings(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines()
    size = counted(lines)
    if size > MAX_FILE_LINES:
        yield 1, "file has %d lines (at most %d)" % (size, MAX_FILE_LINES)
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError:
        return  # Ruff reports the syntax error itself.
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            end = node.end_lineno or node.lineno
            size = counted(lines[node.lineno - 1 : end])
            if size > MAX_FUNCTION_LINES:
                yield node.lineno, "function %s has %d lines (at most %d)" % (node.name, size, MAX_FUNCTION_LINES)


def main(argv):
    allowed = set()
    files = []
    args = iter(argv)
    for arg in args:
        if arg == "--allow":
            allowed.add(next(args))
        else:
            files.append(arg)
    count = 0
    for path in files:
        for line, message in findings(path):
            if path in allowed:
                continue
            count += 1
            print("%s:%d: SIZE %s" % (path, line, message))
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
