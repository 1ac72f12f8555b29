"""The frozen build's deferred runtime hooks (tools/rthook_deferred.py), without a build.

build.spec copies PyInstaller's hooks for inspect, pkgutil and multiprocessing into the
file's ``DEFERRED``; here a fresh interpreter runs the file with a hook of our own for a
module nothing has imported yet, as the frozen executable runs it before its entry script.
The whole frozen build is tested by ``tests/test_frozen_build.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HOOK = "import colorsys, sys\nsys.ran = [*getattr(sys, 'ran', []), colorsys.__loader__]\n"
PROBE = """
import importlib.util, json, sys
source = open(sys.argv[1], encoding="utf-8").read()
namespace = {"__name__": "rthook_deferred"}
exec(compile(source, "rthook_deferred", "exec"), namespace)
namespace["DEFERRED"]["colorsys"] = [("pyi_rth_colorsys", sys.argv[2])]
seen = {}
importlib.util.find_spec("colorsys")  # found, not imported: the hook waits
seen["after find_spec"] = len(getattr(sys, "ran", []))
import colorsys
seen["after import"] = len(sys.ran)
seen["loader is the real one"] = sys.ran[0] is colorsys.__spec__.loader
seen["real loader type"] = type(colorsys.__loader__).__name__
del sys.modules["colorsys"]
import colorsys  # imported again: the hook ran once already
seen["after a second import"] = len(sys.ran)
seen["works"] = colorsys.rgb_to_hsv(1, 0, 0)[2]
print(json.dumps(seen))
"""


def test_a_deferred_hook_runs_once_right_after_its_module_is_imported():
    hook_file = ROOT / "tools" / "rthook_deferred.py"
    done = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(hook_file), HOOK],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "after find_spec": 0,
        "after import": 1,
        "loader is the real one": True,
        "real loader type": "SourceFileLoader",
        "after a second import": 1,
        "works": 1,
    }
