#!/usr/bin/env python3
"""Turns collapsed stacks ("frame;frame;frame count" per line, as async-profiler's
`collapsed` output writes them) into a static SVG flame graph: the root at the bottom, each
frame as wide as the samples under it, the frame name and share in each box's tooltip.

usage: flamegraph.py STACKS.collapsed TITLE > graph.svg
"""
import html
import sys
import zlib

WIDTH, ROW, MIN_PX = 1800, 16, 0.4


def load(path):
    root = {"n": 0, "kids": {}}
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            node = root
            node["n"] += n
            for frame in stack.split(";"):
                node = node["kids"].setdefault(frame, {"n": 0, "kids": {}})
                node["n"] += n
    return root


def colour(name):
    h = zlib.crc32(name.encode())
    if "_[k]" in name or name.startswith("["):
        return "rgb(%d,%d,%d)" % (200 + h % 55, 120 + h % 60, 40)      # kernel
    if "::" in name or name.endswith(".so") or "/" not in name and "." not in name:
        return "rgb(%d,%d,%d)" % (200 + h % 55, 70 + h % 70, 60 + h % 40)  # native
    return "rgb(%d,%d,%d)" % (60 + h % 60, 170 + h % 70, 60 + h % 50)     # Java


def depth(node):
    return 1 + max((depth(k) for k in node["kids"].values()), default=0)


def main():
    root, title = load(sys.argv[1]), sys.argv[2]
    total = max(root["n"], 1)
    rows = depth(root)
    height = (rows + 3) * ROW
    scale = WIDTH / total
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" font-size="11">'
           % (WIDTH, height),
           '<rect width="100%%" height="100%%" fill="#fafafa"/><text x="6" y="14" font-size="13">%s - %d samples'
           ' (hover a box for its frame and share)</text>' % (html.escape(title), total)]

    def draw(name, node, x, level):
        w = node["n"] * scale
        if w < MIN_PX:
            return
        y = height - (level + 1) * ROW
        label = "%s (%d samples, %.2f%%)" % (name, node["n"], 100.0 * node["n"] / total)
        out.append('<g><title>%s</title><rect x="%.2f" y="%d" width="%.2f" height="%d" fill="%s" rx="1"/>'
                   % (html.escape(label), x, y, w, ROW - 1, colour(name)))
        chars = int(w / 6.6)
        if chars >= 3:
            text = name if len(name) <= chars else name[:chars - 2] + ".."
            out.append('<text x="%.2f" y="%d">%s</text>' % (x + 3, y + ROW - 4, html.escape(text)))
        out.append("</g>")
        for kid_name, kid in sorted(node["kids"].items()):
            draw(kid_name, kid, x, level + 1)
            x += kid["n"] * scale

    draw("all", root, 0, 0)
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
