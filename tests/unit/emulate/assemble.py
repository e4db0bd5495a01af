#!/usr/bin/env python3
"""Refresh the instruction bytes in the emulate suite's case tables.

Every row of the form
    {M64, "movl %eax, (%rbx)", {0x89, 0x03}, 2, ...
(line breaks allowed between the fields) gets the bytes and length
that GNU as (--64 for M64, --32 for M32) produces for the quoted AT&T
source, so the tables always hold what the host assembler emits. Lines
that grow past 100 columns are broken between fields. Usage (from the
repository root):
    python3 tests/unit/emulate/assemble.py tests/unit/emulate/*_test.c
Prints the rows whose bytes changed; exits non-zero if one fails to
assemble.
"""
import os
import re
import subprocess
import sys
import tempfile

ROW = re.compile(r'(\{\s*(M32|M64),\s*"((?:[^"\\]|\\.)*)",\s*)\{[^}]*\}(,\s*)\d+,')


def assemble(mode, src, tmp):
    asm = os.path.join(tmp, "i.S")
    obj = os.path.join(tmp, "i.o")
    binf = os.path.join(tmp, "i.bin")
    with open(asm, "w") as f:
        f.write(".text\n" + src.replace('\\"', '"') + "\n")
    flag = "--64" if mode == "M64" else "--32"
    subprocess.run(["as", flag, "-o", obj, asm], check=True)
    subprocess.run(["objcopy", "-O", "binary", "-j", ".text", obj, binf], check=True)
    with open(binf, "rb") as f:
        return f.read()


def cut_points(line):
    """Positions of ", " outside string literals that start a new field."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and line.startswith(", ", i) and (
            line[i + 2 : i + 3] in (".", "E", "{") or line[i - 1 : i] == "}"
        ):
            yield i


def wrap(text, limit=100):
    """Break lines longer than `limit` columns between fields, indenting the rest."""
    out = []
    for line in text.split("\n"):
        while len(line.expandtabs(8)) > limit:
            fits = [i for i in cut_points(line) if len(line[: i + 1].expandtabs(8)) <= limit]
            if not fits:
                break
            cut = fits[-1]
            indent = line[: len(line) - len(line.lstrip())]
            out.append(line[: cut + 1])
            line = indent + " " + line[cut + 2 :]
        out.append(line)
    return "\n".join(out)


def main(paths):
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            text = open(path).read()

            def fix(m):
                code = assemble(m.group(2), m.group(3), tmp)
                if len(code) > 15:
                    raise SystemExit(f"{m.group(3)}: {len(code)} bytes")
                body = ", ".join(f"0x{b:02x}" for b in code)
                new = f"{m.group(1)}{{{body}}}{m.group(4)}{len(code)},"
                if new != m.group(0):
                    print(f"{path}: {m.group(3)}: {body}")
                return new

            new_text = wrap(ROW.sub(fix, text))
            if new_text != text:
                open(path, "w").write(new_text)


if __name__ == "__main__":
    main(sys.argv[1:])
