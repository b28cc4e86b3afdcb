"""LumiMask against a plain set of (run, lumisection) pairs, and on known files.

Property tests (hypothesis) build random masks from random, overlapping, unsorted ranges
in every input format and check every operation against the same operation on a
``frozenset`` of pairs. The known files are CMS golden JSONs as they are written.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import pickle
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmsdials.lumi import MAX_LS, MAX_RUN, LumiDiff, LumiMask

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

Pairs = frozenset[tuple[int, int]]

# Few runs and short lumisection spans, so that ranges overlap and touch often; the edges
# of the limits (lumisection 2**20 - 1, the largest run) now and then.
runs_st = st.one_of(st.integers(1, 5), st.sampled_from([MAX_RUN, 355100]))
range_st = st.tuples(
    runs_st,
    st.one_of(st.integers(1, 30), st.just(MAX_LS)),
    st.integers(0, 12),
).map(lambda t: (t[0], min(t[1], MAX_LS), min(t[1] + t[2], MAX_LS)))
ranges_st = st.lists(range_st, max_size=12)


def expand(ranges: list[tuple[int, int, int]]) -> Pairs:
    return frozenset((run, ls) for run, first, last in ranges for ls in range(first, last + 1))


def as_cms_dict(ranges: list[tuple[int, int, int]], keys: str) -> dict[Any, list[list[int]]]:
    """The ranges as a CMS JSON dict, unsorted and unmerged as given, run keys str or int."""
    out: dict[Any, list[list[int]]] = {}
    for run, first, last in ranges:
        out.setdefault(str(run) if keys == "str" else run, []).append([first, last])
    return out


@st.composite
def masks(draw: st.DrawFn) -> tuple[LumiMask, Pairs]:
    """A mask built by one of the input formats, and its reference set."""
    ranges = draw(ranges_st)
    reference = expand(ranges)
    how = draw(st.sampled_from(["str-keys", "int-keys", "json", "pairs", "arrays", "rows"]))
    if how == "str-keys":
        mask = LumiMask(as_cms_dict(ranges, "str"))
    elif how == "int-keys":
        mask = LumiMask(as_cms_dict(ranges, "int"))
    elif how == "json":
        mask = LumiMask(json.dumps(as_cms_dict(ranges, "str")))
    elif how == "pairs":
        pairs = list(reference)
        random.Random(draw(st.integers(0, 99))).shuffle(pairs)
        mask = LumiMask(pairs + pairs[:3])  # duplicates too
    elif how == "arrays":
        pairs = sorted(reference)
        mask = LumiMask.from_arrays(
            np.array([p[0] for p in pairs], dtype=np.int64),
            np.array([p[1] for p in pairs], dtype=np.int64),
        )
    else:
        mask = LumiMask.from_rows([{"run_number": r, "ls_number": ls} for r, ls in reference])
    return mask, reference


@given(masks())
def test_built_from_any_format_is_the_set(built: tuple[LumiMask, Pairs]) -> None:
    mask, reference = built
    assert list(mask) == sorted(reference)
    assert len(mask) == len(reference)
    assert bool(mask) == bool(reference)
    assert mask.runs == tuple(sorted({run for run, _ in reference}))
    assert mask == LumiMask(sorted(reference)) and hash(mask) == hash(LumiMask(reference))
    for run, ls in list(reference)[:20]:
        assert (run, ls) in mask
        assert (run, ls + 1) in mask or (run, ls + 1) not in reference
    assert (6, 1) not in mask and (1, 0) not in mask and (1, MAX_LS + 1) not in mask
    assert "x" not in mask and (1,) not in mask


@given(masks(), masks())
def test_set_algebra_and_comparisons(
    one: tuple[LumiMask, Pairs], two: tuple[LumiMask, Pairs]
) -> None:
    a, ra = one
    b, rb = two
    assert list(a & b) == sorted(ra & rb)
    assert list(a | b) == sorted(ra | rb)
    assert list(a - b) == sorted(ra - rb)
    assert list(a ^ b) == sorted(ra ^ rb)
    assert (a == b) == (ra == rb)
    assert (a != b) == (ra != rb)
    assert (a <= b) == (ra <= rb)
    assert (a < b) == (ra < rb)
    assert (a >= b) == (ra >= rb)
    assert (a > b) == (ra > rb)
    assert len(a | b) == len(ra | rb)


@given(masks(), masks())
def test_diff_per_run_with_counts(one: tuple[LumiMask, Pairs], two: tuple[LumiMask, Pairs]) -> None:
    a, ra = one
    b, rb = two
    diff = LumiMask.diff(a, b)
    assert isinstance(diff, LumiDiff)
    assert bool(diff) == (ra != rb)
    assert list(diff.only_a) == sorted(ra - rb) and list(diff.only_b) == sorted(rb - ra)
    runs = sorted({run for run, _ in ra ^ rb})
    assert [d.run for d in diff] == runs and len(diff) == len(runs)
    for d in diff:
        only_a = expand([(d.run, f, last) for f, last in d.only_a])
        only_b = expand([(d.run, f, last) for f, last in d.only_b])
        assert only_a == {p for p in ra - rb if p[0] == d.run}
        assert only_b == {p for p in rb - ra if p[0] == d.run}
        assert (d.count_a, d.count_b) == (len(only_a), len(only_b))
    assert json.loads(json.dumps(diff.to_dict())) == diff.to_dict()


@given(masks(), st.lists(runs_st, max_size=4))
def test_restrict(built: tuple[LumiMask, Pairs], runs: list[int]) -> None:
    mask, reference = built
    assert list(mask.restrict(runs=runs)) == sorted(p for p in reference if p[0] in runs)
    assert list(mask.restrict(runs=range(2, 4))) == sorted(p for p in reference if 2 <= p[0] < 4)
    assert list(mask.restrict(runs=3)) == sorted(p for p in reference if p[0] == 3)


@given(masks(), st.randoms(use_true_random=False))
def test_json_round_trips_and_is_deterministic(
    built: tuple[LumiMask, Pairs], rnd: random.Random
) -> None:
    mask, reference = built
    text = mask.to_json()
    assert " " not in text and "\n" not in text
    assert LumiMask(text) == mask
    assert LumiMask(mask.to_dict()) == mask
    assert json.loads(text) == mask.to_dict()
    shuffled = list(reference)
    rnd.shuffle(shuffled)
    assert LumiMask(shuffled).to_json() == text  # same set, same text
    for run, ranges in mask.to_dict().items():
        assert run == str(int(run))
        for (_, last), (first, _) in itertools.pairwise(ranges):
            assert first > last + 1  # sorted, merged: no overlap, no touching
    assert list(mask.to_dict()) == [str(r) for r in mask.runs]
    assert pickle.loads(pickle.dumps(mask)) == mask


@given(
    masks(),
    st.lists(
        st.tuples(
            st.one_of(st.integers(-2, 8), st.sampled_from([MAX_RUN, MAX_RUN + 1, 355100])),
            st.one_of(st.integers(-1, 45), st.sampled_from([MAX_LS, MAX_LS + 1, 2**40])),
        ),
        max_size=60,
    ),
    st.sampled_from(["int64", "int32", "uint64", "series", "list"]),
)
def test_mask_of_arrays(
    built: tuple[LumiMask, Pairs], queries: list[tuple[int, int]], kind: str
) -> None:
    mask, reference = built
    if kind in ("int32", "uint64"):
        info = np.iinfo(kind)
        queries = [
            (r, ls) for r, ls in queries if info.min <= min(r, ls) and max(r, ls) <= info.max
        ]
    runs = [r for r, _ in queries]
    lumis = [ls for _, ls in queries]
    if kind == "series":
        got = mask(pd.Series(runs, dtype="int64"), pd.Series(lumis, dtype="int64"))
    elif kind == "list":
        got = mask(runs, lumis)
    else:
        got = mask(np.array(runs, dtype=kind), np.array(lumis, dtype=kind))
    assert isinstance(got, np.ndarray) and got.dtype == np.bool_
    assert got.tolist() == [q in reference for q in queries]
    assert got.tolist() == [q in mask for q in queries]


def test_mask_of_empty_arrays_and_of_runs_absent() -> None:
    mask = LumiMask({"5": [[1, 10]]})
    for empty in (np.array([], dtype=np.int64), np.array([]), [], pd.Series([], dtype=float)):
        got = mask(empty, empty)
        assert got.shape == (0,) and got.dtype == np.bool_
    assert not LumiMask()(np.array([5, 5]), np.array([1, 2])).any()
    assert mask(np.array([4, 6, 5]), np.array([1, 1, 1])).tolist() == [False, False, True]
    grid = mask(np.array([[5, 5], [6, 5]]), np.array([[1, 11], [1, 10]]))
    assert grid.tolist() == [[True, False], [False, True]]


def test_mask_refuses_non_integers_and_mismatched_shapes() -> None:
    mask = LumiMask({"5": [[1, 10]]})
    with pytest.raises(TypeError, match=r"lumis must hold integers, not float64.*astype"):
        mask(np.array([5]), np.array([1.0]))
    with pytest.raises(TypeError, match="runs must hold integers"):
        mask(pd.Series([5, None]), pd.Series([1, 2]))
    with pytest.raises(ValueError, match=r"differ in shape \(\(2,\) and \(1,\)\)"):
        mask(np.array([5, 5]), np.array([1]))


# -- known files --------------------------------------------------------------------

#: The shape of a real golden JSON (Cert_Collisions2022_355100_362760_Golden.json): one
#: line per run, spaces after the separators; here with a run of one lumisection, touching
#: ranges, ranges out of order and runs out of order.
GOLDEN = textwrap.dedent(
    """\
    {"355862": [[121, 121]],
     "355100": [[1, 45], [46, 90], [95, 120]],
     "355863": [[200, 310], [1, 14], [15, 40], [30, 35]],
     "355101": [[1, 1]]}
    """
)


def test_a_real_format_golden_json_file(tmp_path: Path) -> None:
    path = tmp_path / "Cert_Collisions2022_Golden.json"
    path.write_text(GOLDEN, encoding="utf-8")
    for source in (path, str(path), GOLDEN, GOLDEN.encode(), json.loads(GOLDEN)):
        mask = LumiMask(source)
        assert mask.to_dict() == {
            "355100": [[1, 90], [95, 120]],
            "355101": [[1, 1]],
            "355862": [[121, 121]],
            "355863": [[1, 40], [200, 310]],
        }
    assert mask.runs == (355100, 355101, 355862, 355863)
    assert len(mask) == 90 + 26 + 1 + 1 + 40 + 111
    assert (355101, 1) in mask and (355101, 2) not in mask and (355100, 91) not in mask
    assert mask.to_json() == (
        '{"355100":[[1,90],[95,120]],"355101":[[1,1]],"355862":[[121,121]],'
        '"355863":[[1,40],[200,310]]}'
    )
    assert repr(mask) == ("LumiMask(<4 runs, 269 lumisections in 6 ranges, runs 355100-355863>)")
    assert repr(LumiMask()) == "LumiMask(<empty>)"
    html = mask._repr_html_()
    assert "<table>" in html and "<td>355100</td><td>1-90</td><td>90</td>" in html


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"355100": [[10, 5]]}, r"run 355100, range \[10, 5\]: first 10 > last 5"),
        ({"355100": [[0, 5]]}, r"run 355100, range \[0, 5\]: lumisection 0 is out of bounds"),
        ({"355100": [[-3, 5]]}, r"run 355100, range \[-3, 5\]: lumisection -3 is out"),
        ({"0": [[1, 5]]}, r"run 0: run numbers go from 1"),
        ({"-7": [[1, 5]]}, r"run number: '-7' is not an integer"),
        ({"355100": [[1.5, 5]]}, r"run 355100, range \[1.5, 5\]: 1.5 \(float\) is not an int"),
        ({"355100": [["a", 5]]}, r"run 355100, range \['a', 5\]: 'a' is not an integer"),
        ({"355100": [[True, 5]]}, r"run 355100, range \[True, 5\]: True is not an integer"),
        (
            {"355100": [[1, 2**20]]},
            r"run 355100, range \[1, 1048576\]: lumisection 1048576 .*2\*\*20",
        ),
        ({"abc": [[1, 5]]}, r"run number: 'abc' is not an integer"),
        ({"355100": [["1", 5]]}, r"run 355100, range \['1', 5\]: '1' is not an integer"),
        ([("355100", 1)], r"run number: '355100' is not an integer"),
        ({"355100": [[1, 2, 3]]}, r"run 355100, range \[1, 2, 3\]: a range is \[first, last\]"),
        ({"355100": [5]}, r"run 355100, range 5: a range is \[first, last\]"),
        ({"355100": "1-5"}, r"run 355100: expected a list of \[first, last\] ranges"),
        ({"355100": {"x": []}}, r"run 355100, lumisection key 'x': 'x' is not an integer"),
        ([(1, 2), (3,)], r"expected \(run, lumisection\) pairs, got \(3,\)"),
        ([(1, 0)], r"run 1, pair \(1, 0\): lumisection 0 is out of bounds"),
        ([(2**42, 1)], r"run 4398046511104: run numbers go from 1 to 4398046511103"),
        ("[1, 2]", r"no file \[1, 2\]"),
        ('{"355100": [[1, 5]]', r"the JSON text is not valid JSON"),
        ("[[1, 5]]", r"no file"),
        (" \n", r"an empty string is neither CMS JSON nor a file path"),
        (b"", r"an empty string is neither CMS JSON nor a file path"),
    ],
)
def test_bad_input_is_a_value_error_naming_run_and_range(source: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LumiMask(source)


def test_bad_input_of_other_kinds(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[[1, 5]]")
    with pytest.raises(ValueError, match=r"a CMS JSON is an object .* not a list"):
        LumiMask(tmp_path / "list.json")
    with pytest.raises(TypeError, match="LumiMask\\(\\) reads a CMS JSON dict"):
        LumiMask(12)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"for a DataFrame of rows .* use LumiMask.from_rows"):
        LumiMask(pd.DataFrame({"run_number": [1], "ls_number": [1]}))
    with pytest.raises(ValueError, match=r"row 1 \(dict\) has no run_number and ls_number"):
        LumiMask.from_rows([{"run_number": 1, "ls_number": 2}, {"run_number": 1}])
    with pytest.raises(ValueError, match="lumisection 0 is out of bounds"):
        LumiMask.from_arrays(np.array([1, 1]), np.array([1, 0]))
    with pytest.raises(ValueError, match="the frame has no ls_number column"):
        LumiMask.from_rows(pd.DataFrame({"run_number": [1]}))


def test_immutable_and_combines_only_with_masks() -> None:
    mask = LumiMask({"1": [[1, 2]]})
    with pytest.raises(AttributeError, match="immutable"):
        mask._bounds = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        mask | {"1": [[3, 3]]}  # type: ignore[operator]
    assert (mask == {"1": [[1, 2]]}) is False
    assert LumiMask(mask) == mask and {mask: 1}[LumiMask({1: [[1, 2]]})] == 1


def test_filter_a_data_frame_and_select_rows() -> None:
    mask = LumiMask({"5": [[2, 3]], "6": [[1, 1]]})
    frame = pd.DataFrame(
        {"run_number": [5, 5, 5, 6, 7], "ls_number": [1, 2, 3, 1, 1], "v": range(5)}
    )
    assert mask.filter(frame)["v"].tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match="the frame has no run_number column"):
        mask.filter(frame.rename(columns={"run_number": "run"}))
    rows = frame.to_dict("records")
    assert mask.select(rows) == rows[1:4]
    assert (
        LumiMask.from_rows(frame)
        == LumiMask.from_rows(rows)
        == LumiMask(list(zip(frame.run_number, frame.ls_number, strict=True)))
    )


def test_write_is_atomic(tmp_path: Path) -> None:
    mask = LumiMask(GOLDEN)
    path = tmp_path / "golden.json"
    assert mask.write(path) == path
    assert path.read_text() == mask.to_json() + "\n"
    assert LumiMask(path) == mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden.json"]
    with pytest.raises(FileNotFoundError):
        mask.write(tmp_path / "missing" / "golden.json")

    # A write that fails half way (the file size limit, in a real process) leaves the old
    # file whole and no temporary file behind.
    big = LumiMask([(run, 1) for run in range(1, 20_001)])
    script = textwrap.dedent(
        f"""
        import resource, signal
        from cmsdials.lumi import LumiMask
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        mask = LumiMask([(run, 1) for run in range(1, 20_001)])
        try:
            mask.write({str(path)!r})
        except OSError as exc:
            print("failed", exc.errno)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.startswith("failed"), done.stdout + done.stderr
    assert LumiMask(path) == mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden.json"]
    big.write(path)
    assert LumiMask(path) == big
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@settings(max_examples=30)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 50)), max_size=40))
def test_iteration_is_sorted_whatever_the_input_order(pairs: list[tuple[int, int]]) -> None:
    mask = LumiMask(pairs)
    assert list(mask) == sorted(set(pairs))
    assert list(mask.ranges()) == [
        (run, first, last)
        for run, ranges in ((int(r), v) for r, v in mask.to_dict().items())
        for first, last in ranges
    ]


DOCS = Path(__file__).resolve().parents[2] / "docs" / "guides" / "certification.md"


def test_the_standalone_examples_of_docs_certification() -> None:
    """The examples of docs/certification.md that need no server run as written; a
    ``print`` followed by ``# `` comment lines prints exactly those lines."""
    blocks = re.findall(r"^```python\n(.*?)^```$", DOCS.read_text(), re.S | re.M)
    standalone = [b for b in blocks if b.startswith("from cmsdials.lumi import LumiMask")]
    assert len(standalone) == 3
    for block in standalone:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, str(DOCS), "exec"), {})
        lines = block.splitlines()
        shown = [
            line[2:]
            for i, line in enumerate(lines)
            if line.startswith("# ") and any(x.startswith("print(") for x in lines[:i])
        ]
        assert printed.getvalue().splitlines() == shown


def test_numpy_only_for_arrays() -> None:
    """Building, combining and writing masks imports no numpy; mask() without numpy is an
    ImportError naming the extra (a real interpreter where numpy cannot be imported)."""
    script = textwrap.dedent(
        """
        import sys
        from cmsdials.lumi import LumiMask
        mask = (LumiMask({"1": [[1, 5]]}) | LumiMask([(2, 3)])) - LumiMask({1: [[2, 2]]})
        assert mask.to_json() == '{"1":[[1,1],[3,5]],"2":[[3,3]]}'
        assert (1, 3) in mask and "numpy" not in sys.modules
        sys.modules["numpy"] = None
        try:
            mask([1], [3])
        except ImportError as exc:
            print(exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert "pip install 'cmsdials[numpy]'" in done.stdout, done.stdout + done.stderr
