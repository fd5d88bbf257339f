"""Tables of tags as Metaflow's `tag` commands print them: user tags in *stars*, in columns
that fit 120 characters; with --quiet, one parseable line per group (`A ; B ; C`)."""

import sys

_WIDTH = 124  # 120 characters plus the 4-space gap the last column does not use


def _columns(words, width_of):
    """Rows of `words` laid out top-to-bottom in as many columns as fit."""
    longest = max([len(w) for w in words] or [0])
    count = max(1, _WIDTH // (longest + 4))
    per_column = max(1, (len(words) + count - 1) // count) if words else 0
    padded = words + [" "] * (per_column * count - len(words))
    rows = []
    for i in range(per_column):
        cells = [padded[i + j * per_column] for j in range(count)]
        rows.append("    ".join(c.ljust(width_of(c, longest)) for c in cells))
    return rows


def _by_run(quiet, group, system_tags, all_tags, skip_header):
    if quiet:
        user = sorted(set(all_tags) - set(system_tags))
        sys.stderr.write(" ; ".join([group, ",".join(sorted(system_tags)), ",".join(user)]) + "\n")
        return
    words = [t if t in system_tags else "*%s*" % t for t in sorted(all_tags)]
    longest = max([len(t) for t in all_tags] or [0])
    lines = [] if skip_header else ["For run %s" % group]
    lines += _columns(words, lambda w, _: longest + 2 if w.startswith("*") else longest)
    sys.stdout.write("\n".join(lines + [""]) + "\n")


def _by_tag(quiet, tag, runs, is_system):
    if quiet:
        sys.stderr.write(" ; ".join(["%s:%s" % ("system" if is_system else "user", tag), ",".join(runs)]) + "\n")
        return
    lines = ["For tag %s" % (tag if is_system else "*%s*" % tag)]
    lines += _columns(sorted(runs), lambda w, longest: longest)
    sys.stdout.write("\n".join(lines + [""]) + "\n")


def print_groups(quiet, system_by_group, all_by_group, by_tag):
    """Prints the header, then each group (a run, runs, or a tag) with its tags (or runs)."""
    if not quiet:
        sys.stdout.write("\nSystem tags and *tags*; only *tags* can be modified\n%s\n\n" % ("-" * 56))
    for group in sorted(set(all_by_group) | set(system_by_group)):
        every = all_by_group.get(group, set())
        system = system_by_group.get(group, set())
        if by_tag:
            if every:
                _by_tag(quiet, group, every, False)
            if system:
                _by_tag(quiet, group, system, True)
        else:
            _by_run(quiet, group, system, every, len(all_by_group) == 1)
