"""Coverage-guided fuzzing of the report parser and structured loaders (atheris / libFuzzer).

Run by tests/embedded/test_hostile.py for a bounded time; by hand for longer:

    .venv/bin/python tests/embedded/fuzz_loaders.py -max_total_time=600

Any exception other than InputError is a finding (libFuzzer stops and writes
the input that caused it).
"""

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    from citygraph.core.errors import InputError
    from citygraph.loaders.dataset import model  # noqa: F401
    from citygraph.loaders.documents import html, markdown, text  # noqa: F401
    from citygraph.loaders.formats import structured  # noqa: F401
    from citygraph.loaders.gazetteers import bundled
    from citygraph.loaders.options import ReadOptions
    from citygraph.loaders.plan import plan
    from citygraph.loaders.read import read_paths
    from citygraph.loaders.report import parser as report  # noqa: F401

GAZ = bundled()
FOLDER = Path(tempfile.mkdtemp(prefix="citygraph-fuzz-"))
NAMES = ("report.txt", "report.md", "report.html", "data.yaml", "data.json", "places.csv", "cooperations.csv",
         "pairs.csv")


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    name = NAMES[fdp.ConsumeIntInRange(0, len(NAMES) - 1)]
    path = FOLDER / name
    path.write_bytes(fdp.ConsumeBytes(4096))
    columns = "a=a,a_country=c,b=b,b_country=d" if name == "pairs.csv" else None
    with contextlib.suppress(InputError):
        plan(read_paths([path], ReadOptions(columns=columns)).dataset)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
