"""Setting up installs torch's CPU build by default, in the Makefile and in tox, and tox's default list is green.

On Linux, PyPI's torch is the CUDA build (several GB of NVIDIA libraries the
katas never use). The Makefile takes torch from PyTorch's CPU index on Linux;
tox adds that index through pip's PIP_EXTRA_INDEX_URL, where its ``+cpu``
build outranks PyPI's. These checks read the files (no download, no tox run).
"""

import configparser
import os
import platform
import re
import subprocess

from kata_tools.chapters import REPO_ROOT

CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def tox_ini():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO_ROOT / "tox.ini", encoding="utf-8")
    return parser


def make_variable(name, *overrides):
    """The Makefile's value of ``name``, with ``overrides`` and none of the caller's TORCH_* settings."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TORCH_")}
    completed = subprocess.run(
        ["make", "--no-print-directory", *overrides, "--eval", f"print-it: ; @echo '$({name})'", "print-it"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, env=environment)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_tox_leaves_the_red_learner_suite_out_of_its_default_list():
    envs = [env.strip() for env in tox_ini()["tox"]["env_list"].split(",")]
    assert "learner" not in envs and "lint" in envs, envs
    assert any(env.endswith("-reference") for env in envs), envs
    assert tox_ini().has_section("testenv:learner"), "`tox -e learner` should still exist"


def test_tox_installs_torchs_cpu_build_unless_told_otherwise():
    testenv = tox_ini()["testenv"]
    assert re.search(r"^torch==\{env:TORCH_VERSION:[\d.]+\}$", testenv["deps"], re.M), testenv["deps"]
    assert re.search(r"PIP_EXTRA_INDEX_URL\s*=\s*\{env:PIP_EXTRA_INDEX_URL:" + re.escape(CPU_INDEX) + "}",
                     testenv["set_env"]), testenv["set_env"]
    for section in ("testenv:py{310,311,312,313}-reference", "testenv:learner"):
        assert "{[testenv]set_env}" in tox_ini()[section]["set_env"], f"[{section}] drops the CPU index"


def test_the_makefile_installs_torchs_cpu_build_on_linux_and_can_be_told_otherwise():
    arguments = make_variable("TORCH_PIP_ARGS")
    if platform.system() == "Linux":
        assert arguments == f"--index-url {CPU_INDEX}", arguments
    assert make_variable("TORCH_PIP_ARGS", "TORCH_PIP_ARGS=") == ""
    assert make_variable("TORCH_PIP_ARGS", "TORCH_INDEX=https://example.org/cu") == "--index-url https://example.org/cu"
