#!/usr/bin/env python3
"""Build the tradebook docs site offline (no Quarto): every notebook in nbs/ → one HTML page, plus an index.

Usage: python docs/build.py [--out _docs] [--no-execute] [--only PATTERN] [--slow] [--timeout S] [--startup-timeout S]

Each notebook is copied, its `#| hide` cells hidden, cells flagged `#| slow` (unless --slow) or `#| gpu` (without
CUDA) dropped, nbdev directive lines (`#| export` …) stripped,
executed with nbclient from nbs/ (so outputs are fresh; skip with --no-execute), then exported with
nbconvert's HTML exporter. The index page lists the notebooks in reading order with their titles and
one-line summaries, and the README is rendered as the front matter.
"""
import argparse, atexit, html, re, sys, time
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'

def prepare(nb, skip_flags=()):
    "Drop hidden cells and nbdev directives, and cells flagged with any of `skip_flags` (e.g. slow, gpu); keep the rest"
    cells = []
    for c in nb.cells:
        src = c.source
        if c.cell_type == 'code':
            lines = src.splitlines()
            directives = [l for l in lines if l.startswith('#|')]
            if any(re.match(r'#\|\s*default_exp\b', d) for d in directives): continue
            if any(re.match(rf'#\|\s*{f}\b', d) for d in directives for f in skip_flags): continue
            if any(re.match(r'#\|\s*hide\b', d) for d in directives):  # runs, but is not shown
                c.metadata.setdefault('tags', []).append('remove_cell')
            c.source = '\n'.join(l for l in lines if not l.startswith('#|')).strip('\n')
            c.metadata.pop('has_sd', None)
        cells.append(c)
    nb.cells = cells
    return nb

def title_and_summary(nb):
    for c in nb.cells:
        if c.cell_type == 'markdown':
            t = re.search(r'^#\s+(.+)$', c.source, re.M)
            s = re.search(r'^>\s*(.+)$', c.source, re.M)
            if t: return t.group(1).strip(), (s.group(1).strip() if s else '')
    return None, ''

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(ROOT/'_docs'))
    ap.add_argument('--no-execute', action='store_true')
    ap.add_argument('--only', default='*', help='glob of notebook names to build (default all)')
    ap.add_argument('--timeout', type=int, default=600, help='seconds a cell may run')
    ap.add_argument('--startup-timeout', type=int, default=300, help='seconds a kernel may take to start (a loaded machine is slow)')
    ap.add_argument('--slow', action='store_true', help='also run cells flagged #| slow (full-size benchmarks)')
    a = ap.parse_args(argv)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    from traitlets.config import Config
    cfg = Config(); cfg.TagRemovePreprocessor.remove_cell_tags = ('remove_cell',); cfg.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(template_name='lab', config=cfg)
    pages = []
    try:
        import torch; has_cuda = torch.cuda.is_available()
    except ImportError: has_cuda = False
    skip_flags = tuple(f for f, keep in (('slow', a.slow), ('gpu', has_cuda)) if not keep)
    paths = [p for p in sorted(NBS.glob(f'{a.only}.ipynb')) if not p.name.startswith(('_', '.'))]
    if not paths: sys.exit(f"docs/build.py: --only {a.only!r} matches no notebook in {NBS}")
    for path in paths:
        nb = prepare(nbformat.read(path, as_version=4), skip_flags)
        t0 = time.time()
        if not a.no_execute:
            from nbclient import NotebookClient
            client = NotebookClient(nb, timeout=a.timeout, startup_timeout=a.startup_timeout, kernel_name='python3',
                                    resources={'metadata': {'path': str(NBS)}})
            try: client.execute()
            except RuntimeError as e:
                if "didn't respond" not in str(e): raise
                # nbclient 0.11 then fails again at exit (`assert self.km is not None`), which hid this cause once
                atexit.unregister(client._cleanup_kernel)
                sys.exit(f"docs/build.py: the kernel for {path.name} did not start within {a.startup_timeout} s "
                         "(on a loaded machine, raise --startup-timeout)")
            except BaseException:
                print(f'docs/build.py: executing {path.name} failed', file=sys.stderr); raise
        body, _ = exporter.from_notebook_node(nb)
        name = 'index_nb.html' if path.stem == 'index' else f'{path.stem}.html'
        (out/name).write_text(body, encoding='utf-8')
        title, summary = title_and_summary(nb)
        pages.append((path.stem, name, title or path.stem, summary))
        print(f'{path.name:40s} → {name}  ({time.time()-t0:.1f}s)', file=sys.stderr)
    items = '\n'.join(f'<li><a href="{n}"><b>{html.escape(t)}</b></a> <code>{html.escape(s_)}</code><br><span>{html.escape(s)}</span></li>'
                      for s_, n, t, s in pages)
    readme = (ROOT/'README.md').read_text(encoding='utf-8')
    try:
        import markdown; front = markdown.markdown(readme, extensions=['fenced_code', 'tables'])
    except ImportError:
        front = f'<pre>{html.escape(readme)}</pre>'
    (out/'index.html').write_text(f"""<!doctype html><html><head><meta charset="utf-8"><title>tradebook</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
li{{margin:.6rem 0}} code{{color:#666}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:.2rem .5rem}}
pre{{background:#f6f8fa;padding:.6rem;overflow:auto}}</style></head>
<body>{front}<h2>The notebooks, in reading order</h2><ol>{items}</ol></body></html>""", encoding='utf-8')
    print(f'wrote {len(pages)} pages + index.html to {out}', file=sys.stderr)

if __name__ == '__main__': main()
