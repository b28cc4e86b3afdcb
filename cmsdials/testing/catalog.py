"""What each workspace of the local DIALS holds: datasets, runs, MEs and ML models.

The catalog is plain data (no randomness): the fixed anchors that the classic
README's examples query (dataset 14677060, run 367112, file 3393809397, the
jetmet models 19 and 20, ...) and the shape of every monitoring element.  The
seeded generator in :mod:`cmsdials.testing.data` fills in the rest (lumisection
counts, file ids, histogram contents, bad lumisections).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Size = Literal["small", "large"]
Shape = Literal[
    "landau", "gauss", "falling", "plateau", "flat", "counts", "pixel_map", "ee_map", "eta_phi"
]


@dataclass(frozen=True)
class MESpec:
    """One monitoring element: its id, path, binning and the shape of its distribution."""

    me_id: int
    me: str
    shape: Shape
    x_bin: int
    x_min: float
    x_max: float
    y_bin: int = 0
    y_min: float = 0.0
    y_max: float = 0.0
    #: Entries per lumisection at the start of a fill (scaled down as luminosity decays).
    rate: float = 4000.0
    #: Shape parameters, in bin units of the x axis (peak, width) or as a fraction.
    peak: float = 0.3
    width: float = 0.08
    #: 2D MEs are kept every ``ls_stride``-th lumisection only (1 = every one).
    ls_stride: int = 1
    #: Also filled in the bulk datasets of the large size (benchmarks).
    bulk: bool = False

    @property
    def dim(self) -> int:
        return 2 if self.y_bin else 1


@dataclass(frozen=True)
class RunSpec:
    run_number: int
    #: Range of lumisection counts the seed draws from (inclusive).
    min_ls: int
    max_ls: int


@dataclass(frozen=True)
class DatasetSpec:
    dataset_id: int
    dataset: str
    runs: tuple[RunSpec, ...]
    #: A bulk dataset only holds the MEs marked ``bulk`` (large size only).
    bulk: bool = False
    #: File id of the first file of the first run (a README anchor), if fixed.
    first_file_id: int | None = None
    anchor_run: int | None = None


@dataclass(frozen=True)
class ModelSpec:
    """One anomaly-detection model: a revision of a named model watching one ME."""

    model_id: int
    filename: str
    target_me_id: int
    active: bool
    #: Fraction of lumisections this model flags as bad.
    bad_fraction: float = 0.04
    #: The model's name; its revisions share it (``revision`` counts from 1).
    name: str = ""
    revision: int = 1
    #: Deployed (its inference service is up) and usable.
    ready: bool = True
    #: ``autoencoder`` (flags on a reconstruction error above ``anomaly_threshold``) or
    #: ``isolation_forest`` (flags by itself: a built-in threshold).
    kind: str = "autoencoder"


@dataclass(frozen=True)
class WorkspaceSpec:
    name: str
    datasets: tuple[DatasetSpec, ...]
    mes: tuple[MESpec, ...]
    models: tuple[ModelSpec, ...] = ()
    #: Bad lumisections that must exist: (model_id, dataset_id, run_number, ls_number).
    forced_bad: tuple[tuple[int, int, int, int], ...] = field(default=())


def _runs(numbers: list[int], min_ls: int, max_ls: int) -> tuple[RunSpec, ...]:
    return tuple(RunSpec(n, min_ls, max_ls) for n in numbers)


_PIXEL = "PixelPhase1/Tracks/PXBarrel"
_PIXEL_MAP = "PixelPhase1/Phase1_MechanicalView/PXBarrel"
_LADDERS = {1: 6, 2: 14, 3: 22, 4: 32}
EEOT_PLUS = "EcalEndcap/EEOccupancyTask/EEOT digi occupancy EE +"
EEOT_MINUS = "EcalEndcap/EEOccupancyTask/EEOT digi occupancy EE -"


def _pixel_maps(first_id: int, quantity: str, stride: int) -> list[MESpec]:
    mes = []
    for layer, ladders in _LADDERS.items():
        mes.append(
            MESpec(
                me_id=first_id + layer - 1,
                me=f"{_PIXEL_MAP}/{quantity}_per_SignedModule_per_SignedLadder_PXLayer_{layer}",
                shape="pixel_map",
                x_bin=9,
                x_min=-4.5,
                x_max=4.5,
                y_bin=2 * ladders + 1,
                y_min=-ladders - 0.5,
                y_max=ladders + 0.5,
                rate=20000.0 / layer,
                ls_stride=stride,
            )
        )
    return mes


def _ee_map(me_id: int, name: str, stride: int, bulk: bool) -> MESpec:
    return MESpec(
        me_id=me_id,
        me=name,
        shape="ee_map",
        x_bin=50,
        x_min=0.0,
        x_max=100.0,
        y_bin=50,
        y_min=0.0,
        y_max=100.0,
        rate=30000.0,
        ls_stride=stride,
        bulk=bulk,
    )


def tracker(size: Size) -> WorkspaceSpec:
    mes = [
        MESpec(1, f"{_PIXEL}/charge_PXLayer_1", "landau", 100, 0.0, 80000.0, peak=0.26),
        MESpec(2, f"{_PIXEL}/charge_PXLayer_2", "landau", 100, 0.0, 80000.0, peak=0.28, bulk=True),
        MESpec(3, f"{_PIXEL}/charge_PXLayer_3", "landau", 100, 0.0, 80000.0, peak=0.29),
        MESpec(4, f"{_PIXEL}/charge_PXLayer_4", "landau", 100, 0.0, 80000.0, peak=0.30),
        MESpec(5, f"{_PIXEL}/size_PXLayer_1", "falling", 50, 0.0, 50.0, width=0.06),
        MESpec(
            96,
            "SiStrip/MechanicalView/TIB/Summary_ClusterStoNCorr__OnTrack__TIB",
            "landau",
            100,
            0.0,
            100.0,
            peak=0.2,
            width=0.03,
        ),
        *_pixel_maps(201, "digi_occupancy", stride=13),
        *_pixel_maps(205, "num_clusters", stride=13),
        _ee_map(301, EEOT_PLUS, stride=12 if size == "small" else 10, bulk=True),
    ]
    datasets = [
        DatasetSpec(
            14677060,
            "/ZeroBias/Run2023C-PromptReco-v1/DQMIO",
            (RunSpec(367100, 20, 40), RunSpec(367112, 30, 60), RunSpec(367131, 20, 40)),
            first_file_id=3393809397,
            anchor_run=367112,
        ),
        DatasetSpec(
            14412045,
            "/ZeroBias/Run2022F-PromptReco-v1/DQMIO",
            _runs(
                [360392, 360393, 360400, 360428, 360429, 360431, 360433, 362655],
                80,
                110,
            ),
        ),
        DatasetSpec(
            15003215,
            "/ZeroBias/Run2024B-PromptReco-v1/DQMIO",
            _runs([379058, 379075, 379154], 25, 45),
        ),
        DatasetSpec(
            15014002,
            "/StreamExpress/Run2024C-Express-v1/DQMIO",
            _runs([379415, 379416], 15, 30),
        ),
    ]
    if size == "large":
        bulk_runs = tuple(RunSpec(382000 + 7 * i, 240, 280) for i in range(84))
        datasets.append(
            DatasetSpec(15130021, "/ZeroBias/Run2024F-PromptReco-v1/DQMIO", bulk_runs, bulk=True)
        )
    return WorkspaceSpec("tracker", tuple(datasets), tuple(mes))


def jetmet(size: Size) -> WorkspaceSpec:
    jet = "JetMET/Jet/Cleanedak4PFJetsCHS"
    met = "JetMET/MET/pfMETT1/Cleaned"
    mes = (
        MESpec(1, f"{jet}/Pt", "falling", 100, 0.0, 500.0, rate=6000.0, width=0.08),
        MESpec(2, f"{jet}/Eta", "plateau", 60, -6.0, 6.0, rate=6000.0, width=0.4),
        MESpec(3, f"{jet}/Phi", "flat", 70, -3.5, 3.5, rate=6000.0),
        MESpec(4, f"{met}/MET", "falling", 100, 0.0, 500.0, rate=3000.0, width=0.06),
        MESpec(5, f"{met}/SumET", "gauss", 100, 0.0, 4000.0, rate=3000.0, peak=0.3, width=0.1),
        MESpec(6, f"{met}/METPhi", "flat", 60, -3.2, 3.2, rate=3000.0),
        MESpec(
            7, f"{jet}/PhiVSEta", "eta_phi", 50, -6.0, 6.0, 24, -3.2, 3.2, rate=6000.0, ls_stride=5
        ),
    )
    datasets = (
        DatasetSpec(
            15042670,
            "/JetMET0/Run2024H-PromptReco-v1/DQMIO",
            (
                RunSpec(385764, 40, 70),
                RunSpec(385799, 40, 70),
                RunSpec(385801, 40, 70),
                RunSpec(385836, 30, 50),
            ),
        ),
        DatasetSpec(
            15102369,
            "/JetMET0/Run2024I-PromptReco-v2/DQMIO",
            (RunSpec(386917, 30, 50), RunSpec(386951, 40, 60)),
        ),
    )
    # Four model lines, retrained over time: older revisions inactive, the newest of
    # jet pT (19) and MET (20) active; revision 5 of jet eta (18) is still deploying.
    lines = {
        "jet_pt_ae": ("jetmet_jet_pt_autoencoder", 1, "autoencoder"),
        "jet_eta_ae": ("jetmet_jet_eta_autoencoder", 2, "autoencoder"),
        "met_ae": ("jetmet_met_autoencoder", 4, "autoencoder"),
        "sumet_ae": ("jetmet_sumet_isolation_forest", 5, "isolation_forest"),
    }
    order = [*(list(lines) * 5)[:18], "jet_pt_ae", "met_ae"]
    revisions: dict[str, int] = {}
    models = []
    for i, short in enumerate(order, start=1):
        name, target, kind = lines[short]
        revisions[short] = revisions.get(short, 0) + 1
        models.append(
            ModelSpec(
                i,
                f"/eos/cms/store/group/dpg_dqm/ml4dqm/jetmet/{short}_v{i}.onnx",
                target,
                active=i in (19, 20),
                bad_fraction=0.04 if i in (19, 20) else 0.03,
                name=name,
                revision=revisions[short],
                ready=i != 18,
                kind=kind,
            )
        )
    forced = ((19, 15102369, 386951, 36), (20, 15042670, 385801, 12), (19, 15042670, 385764, 7))
    return WorkspaceSpec("jetmet", datasets, mes, tuple(models), forced)


def ecal(size: Size) -> WorkspaceSpec:
    mes = (
        MESpec(
            1,
            "EcalBarrel/EBSummaryClient/EBTMT timing mean 1D summary",
            "gauss",
            100,
            -25.0,
            25.0,
            peak=0.5,
            width=0.05,
        ),
        MESpec(
            2,
            "EcalEndcap/EESummaryClient/EETMT EE + timing mean 1D summary",
            "gauss",
            100,
            -25.0,
            25.0,
            peak=0.5,
            width=0.06,
        ),
        _ee_map(3, EEOT_PLUS, stride=4, bulk=False),
        _ee_map(4, EEOT_MINUS, stride=4, bulk=False),
    )
    datasets = (
        DatasetSpec(
            15017890, "/ZeroBias/Run2024C-PromptReco-v1/DQMIO", _runs([379660, 379729], 20, 40)
        ),
    )
    return WorkspaceSpec("ecal", datasets, mes)


def hcal(size: Size) -> WorkspaceSpec:
    mes = (
        MESpec(1, "Hcal/DigiTask/SumQ/SubdetPM/HBP", "landau", 100, 0.0, 1000.0, peak=0.15),
        MESpec(2, "Hcal/DigiTask/SumQ/SubdetPM/HEP", "landau", 100, 0.0, 1000.0, peak=0.18),
        MESpec(3, "Hcal/DigiTask/Occupancy/Subdet/HB", "gauss", 60, 0.0, 3000.0, peak=0.6),
        MESpec(
            4,
            "Hcal/DigiTask/Occupancy/depth/depth1",
            "eta_phi",
            83,
            -41.5,
            41.5,
            72,
            0.5,
            72.5,
            rate=50000.0,
            ls_stride=10,
        ),
    )
    # Three primary datasets of the same runs (as in production, where a run is in many):
    # key order (dataset, run) is then not run order. A run has the same lumisections in
    # each; not every dataset has every run.
    runs = (RunSpec(379660, 32, 32), RunSpec(379729, 27, 27), RunSpec(379765, 36, 36))
    datasets = (
        DatasetSpec(15013990, "/HLTPhysics/Run2024C-PromptReco-v1/DQMIO", runs[:2]),
        DatasetSpec(15014003, "/StreamExpress/Run2024C-Express-v1/DQMIO", runs),
        DatasetSpec(
            15017891,
            "/ZeroBias/Run2024C-PromptReco-v1/DQMIO",
            (*runs, RunSpec(379790, 24, 24)),
        ),
    )
    return WorkspaceSpec("hcal", datasets, mes)


def csc(size: Size) -> WorkspaceSpec:
    mes = (
        MESpec(1, "CSC/CSCOfflineMonitor/recHits/hRHSumQp11a", "landau", 100, 0.0, 2000.0),
        MESpec(2, "CSC/CSCOfflineMonitor/recHits/hRHSumQm11a", "landau", 100, 0.0, 2000.0),
        MESpec(3, "CSC/CSCOfflineMonitor/Segments/hSnSegments", "counts", 11, -0.5, 10.5),
        MESpec(
            4,
            "CSC/CSCOfflineMonitor/Occupancy/hORecHits",
            "eta_phi",
            36,
            0.5,
            36.5,
            20,
            0.5,
            20.5,
            rate=8000.0,
            ls_stride=5,
        ),
    )
    datasets = (
        DatasetSpec(
            15017892, "/ZeroBias/Run2024C-PromptReco-v1/DQMIO", _runs([379660, 379729], 20, 40)
        ),
    )
    return WorkspaceSpec("csc", datasets, mes)


#: Workspace name -> catalog builder.  ``tracker`` is the default workspace.
WORKSPACES = {"tracker": tracker, "jetmet": jetmet, "csc": csc, "ecal": ecal, "hcal": hcal}
DEFAULT_WORKSPACE = "tracker"
