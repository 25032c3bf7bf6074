#!/usr/bin/env python3
"""How scour's cost grows with the corpus: build time, peak RSS, bundle bytes and
native query latency on seeds, books, and books replicated 2x and 4x (new ids).

Usage (from the repository root, after the peer benchmark has generated its corpora):
    python3 docs/bench/scaling.py <books.jsonl> <seeds.jsonl> <queries dir> > docs/bench/scaling.md
It also writes docs/bench/scaling.svg. Needs target/release/scour and
target/release/examples/eval (cargo build --release -p scour-cli;
cargo build --release -p scour-query --example eval).
"""
import json, os, re, subprocess, sys, tempfile, time, zlib

def brotli_size(path):
    # brotli through Node, as the browser benchmark measures it (quality 9)
    js = ("const z=require('zlib');const b=require('fs').readFileSync(process.argv[1]);"
          "console.log(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:9}}).length)")
    return int(subprocess.check_output(["node", "-e", js, path]).decode().strip())

def replicate(src, n, dst):
    with open(src) as f, open(dst, "w") as out:
        lines = [json.loads(l) for l in f if l.strip()]
        for k in range(n):
            for r in lines:
                r = dict(r)
                r["id"] = f"{r['id']}#{k}" if k else r["id"]
                r["url"] = f"{r.get('url', '')}?copy={k}" if k else r.get("url", "")
                out.write(json.dumps(r) + "\n")

def measure(name, corpus, queries, tmp):
    out = os.path.join(tmp, name)
    t = time.time()
    r = subprocess.run(["/usr/bin/time", "-v", "target/release/scour", "build", corpus, "--out", out, "-q"],
                       capture_output=True, text=True)
    build_s = time.time() - t
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024
    files = [os.path.join(out, f) for f in os.listdir(out)]
    raw = sum(os.path.getsize(f) for f in files)
    br = sum(brotli_size(f) for f in files)
    text = 0
    with open(corpus) as f:
        for l in f:
            if l.strip():
                d = json.loads(l)
                text += len((d.get("title", "") + "".join(d.get("headings", [])) + d.get("body", "")).encode())
    p95 = "n/a"
    if queries:
        env = dict(os.environ, EVAL_SETS="words,multi,typo", EVAL_REPEAT="5")
        ev = subprocess.run(["target/release/examples/eval", corpus, queries], capture_output=True, text=True, env=env).stdout
        p95 = " / ".join(m for m in re.findall(r"p95=(\d+)µs", ev))
    return dict(name=name, docs=sum(1 for l in open(corpus) if l.strip()), text=text, build=build_s, rss=rss, raw=raw, br=br, p95=p95)

def main():
    books, seeds, queries = sys.argv[1:4]
    tmp = tempfile.mkdtemp()
    rows = [measure("seeds", seeds, None, tmp), measure("books", books, queries, tmp)]
    for n in (2, 4):
        path = os.path.join(tmp, f"books{n}.jsonl")
        replicate(books, n, path)
        rows.append(measure(f"books ×{n}", path, queries, tmp))
    print("| corpus | docs | raw text MB | build s | peak RSS MB | bundle MB | bundle brotli MB | brotli / text | native p95 µs (words / multi / typo) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['name']} | {r['docs']} | {r['text']/1e6:.2f} | {r['build']:.2f} | {r['rss']:.0f} | {r['raw']/1e6:.2f} | {r['br']/1e6:.2f} | {r['br']/r['text']:.2f} | {r['p95']} |")
    svg(rows[1:])

def svg(rows):
    # one small line chart: build seconds and brotli MB against raw text MB
    w, h, pad = 520, 300, 50
    xs = [r["text"] / 1e6 for r in rows]
    series = [("build s", [r["build"] for r in rows], "#2563eb"), ("bundle brotli MB", [r["br"] / 1e6 for r in rows], "#dc2626")]
    xmax = max(xs) * 1.1
    ymax = max(max(v) for _, v, _ in series) * 1.15
    X = lambda x: pad + (w - 2 * pad) * x / xmax
    Y = lambda y: h - pad - (h - 2 * pad) * y / ymax
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<line x1="{pad}" y1="{h-pad}" x2="{w-pad}" y2="{h-pad}" stroke="#333"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h-pad}" stroke="#333"/>',
             f'<text x="{w/2}" y="{h-12}" text-anchor="middle">raw text MB (books ×1, ×2, ×4)</text>']
    for i, (label, ys, color) in enumerate(series):
        pts = " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y in zip(xs, ys))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y in zip(xs, ys):
            parts.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3" fill="{color}"/>')
            parts.append(f'<text x="{X(x)+5:.1f}" y="{Y(y)-6:.1f}" fill="{color}">{y:.2f}</text>')
        parts.append(f'<text x="{pad+10}" y="{pad+16*i}" fill="{color}">{label}</text>')
    for x in xs:
        parts.append(f'<text x="{X(x):.1f}" y="{h-pad+16}" text-anchor="middle">{x:.0f}</text>')
    parts.append("</svg>")
    with open("docs/bench/scaling.svg", "w") as f:
        f.write("\n".join(parts) + "\n")

main()
