"""``python -m cmsdials.testing.plots`` (``make plots``): the README's pictures, from a local DIALS.

Starts ``python -m cmsdials.testing`` (the launcher of :mod:`cmsdials.testing.process`),
pulls one run of the JetMET workspace and draws, with ``row.plot()`` and
``page.plot()``: the jet-pT heat map over the run's lumisections with the active
model's bad lumisections overlaid, one lumisection's histogram, and a 2D
histogram. Writes one PNG (``docs/plots.png`` by default) and stops the server.
Needs the ``plot`` and ``numpy`` extras.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .demo import local_dials

WORKSPACE = "jetmet"
DATASET_ID = 15102369
RUN = 386951
ME_ID = 1  # JetMET/Jet/Cleanedak4PFJetsCHS/Pt
ME_2D_ID = 7  # JetMET/Jet/Cleanedak4PFJetsCHS/PhiVSEta
MODEL_ID = 19  # the active jet-pT autoencoder
DEFAULT_OUTPUT = Path("docs") / "plots.png"


def draw(base_url: str, secret: str, output: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # a command-line tool: no window
    from matplotlib.figure import Figure

    from cmsdials.auth.secret_key import Credentials

    from ..cmsdials import Dials

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the local secret key
        creds = Credentials(token=secret)
    with Dials(creds, workspace=WORKSPACE, base_url=base_url) as dials:
        run = {"dataset_id": DATASET_ID, "run_number": RUN}
        page = dials.h1d.list_all({**run, "me_id": ME_ID}, enable_progress=False)
        bad = dials.ml_bad_lumis.list_all({**run, "model_id": MODEL_ID}, enable_progress=False)
        maps = dials.h2d.list_all({**run, "me_id": ME_2D_ID}, enable_progress=False)

    figure = Figure(figsize=(13, 8.5), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=(1.25, 1))
    page.plot(ax=figure.add_subplot(grid[0, :]), bad=bad)
    flagged = {row.ls_number for row in bad.results}
    one = next(row for row in page.results if row.ls_number in flagged)
    one.plot(ax=figure.add_subplot(grid[1, 0]))
    maps.plot(ax=figure.add_subplot(grid[1, 1]), reduce="sum")
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, dpi=80, metadata={"Software": None})


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cmsdials.testing.plots",
        description="Draw the README's pictures from a local DIALS started for it.",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the PNG to write")
    args = parser.parse_args(argv)
    with local_dials() as server:
        draw(server.base_url, server.secret, args.output)
    _say(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
