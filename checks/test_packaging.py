"""The repository is a package: `make chapter00`, `pip install -e .` and `uv sync` work from a fresh clone.

The fast checks read pyproject.toml, the generated requirements files, the Makefile and the
Dev Container. The proofs (marked ``install``) set up a fresh clone for real, each as cheaply
as an honest proof allows:

- ``make chapter00`` with ``USE_SYSTEM_TORCH=yes``, from a clone whose .venv was made on another
  machine (the host of a Dev Container): the .venv is made again and sees the torch of the
  Python that sets up (this interpreter), so no torch is downloaded; then ``pip install -e .``
  into that .venv and ``kata chapter00`` from another directory.
- ``uv sync`` then ``uv run kata chapter00``, then ``make chapter00`` in that .venv (which has
  no pip). Where PyTorch's CPU index cannot be reached (our CI sees only PyPI), a stand-in for
  it is made from the torch wheel pip's own configuration finds (its find-links): a local
  simple index under the same name, ``pytorch-cpu``, passed as uv's ``UV_INDEX``, so uv
  still takes torch from that index and nothing else. A fresh clone here is a copy of the
  files git tracks or would track (``git ls-files``), so the working tree is what is proven.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kata_tools import environment
from kata_tools.chapters import REPO_ROOT, tomllib
from kata_tools.dev import requirements

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
MAINTAINERS_TOOLS = ("babel", "check-jsonschema", "zizmor", "ruff", "uv")


def pyproject():
    with open(REPO_ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)


def names(requirement_lines):
    return {re.match(r"[A-Za-z0-9._-]+", line).group(0).lower() for line in requirement_lines}


def make_variable(name):
    environment_ = {key: value for key, value in os.environ.items() if not key.startswith("TORCH_")}
    completed = subprocess.run(
        ["make", "--no-print-directory", "--eval", f"print-it: ; @echo '$({name})'", "print-it"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, env=environment_)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


# ---------------------------------------------------------------- what the files say
def test_requirements_files_are_generated_from_pyproject():
    assert not requirements.stale(), (
        f"{', '.join(path.name for path in requirements.stale())} differ from pyproject.toml: run `make requirements`")


def test_the_learners_dependencies_leave_the_maintainers_tools_to_the_dev_group():
    data = pyproject()
    learner, dev = names(data["project"]["dependencies"]), names(data["dependency-groups"]["dev"])
    tools = set(MAINTAINERS_TOOLS)
    assert not learner & tools, f"maintainers' tools among the learner's: {learner & tools}"
    assert set(MAINTAINERS_TOOLS) <= dev, f"missing from the dev group: {set(MAINTAINERS_TOOLS) - dev}"
    assert {"torch", "pytest", "pytest-timeout", "numpy", "wcwidth", "matplotlib"} <= learner
    assert data["tool"]["uv"]["default-groups"] == [], "`uv sync` must install the learner's set only"
    assert data["project"]["scripts"]["kata"] == "kata_tools.cli:main"
    assert data["project"]["requires-python"] == ">=3.10"


def test_uv_takes_torchs_cpu_build_from_pytorchs_index_on_linux_pinned_as_the_makefile_pins_it():
    uv = pyproject()["tool"]["uv"]
    indexes = {index["name"]: index for index in uv["index"]}
    assert indexes["pytorch-cpu"]["url"] == CPU_INDEX and indexes["pytorch-cpu"]["explicit"] is True
    assert uv["sources"]["torch"] == [{"index": "pytorch-cpu", "marker": "sys_platform == 'linux'"}]
    assert f"torch=={make_variable('TORCH_VERSION')}" in uv["constraint-dependencies"], (
        "the Makefile's TORCH_VERSION and pyproject.toml's [tool.uv] constraint-dependencies pin different torches")


def test_the_package_lists_every_tools_package_and_its_message_catalogues():
    setuptools = pyproject()["tool"]["setuptools"]
    found = {".".join(path.parent.relative_to(REPO_ROOT).parts)
             for path in (REPO_ROOT / "kata_tools").rglob("__init__.py")}
    listed = set(setuptools["packages"])
    assert found <= listed, f"not in [tool.setuptools] packages: {found - listed}"
    assert {"katas", "data"} <= set(setuptools["packages"])
    assert any(pattern.endswith("kata.mo") for pattern in setuptools["package-data"]["kata_tools"])


def test_the_dev_container_installs_bubblewrap_for_make_grade():
    text = (REPO_ROOT / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8")
    settings = json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))
    assert "bubblewrap" in json.dumps(settings.get("features", {})) + settings.get("postCreateCommand", "")


@pytest.mark.parametrize("version, expected", [
    ("2.13.0+cpu", True), ("2.2.0", True), ("2.10.1+cu128", True), ("3.0", True),
    ("2.1.2", False), ("1.13.1", False), ("", False), ("unknown", False)])
def test_a_torch_is_reused_only_from_the_courses_minimum_on(version, expected):
    assert environment.recent_enough(version) is expected


def test_a_notebooks_kernel_is_given_only_what_it_lacks_and_keeps_its_torch(tmp_path):
    listed = tmp_path / "requirements.txt"
    listed.write_text("# comment\ntorch>=2.2\npytest>=8  # here\nnumpy==0.0.1\nno-such-package-kata==1.0\n"
                      "tomli==2.5.0; python_version < '3'\n", encoding="utf-8")
    assert environment.missing_requirements(sys.executable, listed) == ["no-such-package-kata==1.0"]
    assert environment.missing_requirements(sys.executable, listed, versions=True) == [
        "numpy==0.0.1", "no-such-package-kata==1.0"]


# ---------------------------------------------------------------- the proofs, in fresh clones
def fresh_clone(target):
    """Copy what a clone of this working tree holds (the files git tracks or would track) to ``target``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: no fresh clone to make")
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def clean_environment(**extra):
    """This process's environment without what would steer a learner's run: the checks' settings, the venv."""
    environment_ = {key: value for key, value in os.environ.items()
                    if not key.startswith(("KATA_", "TORCH_", "UV_", "PYTEST_")) and key not in (
                        "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VIRTUAL_ENV", "PYTHONPATH", "COV_CORE_SOURCE")}
    return {**environment_, "KATA_LANG": "en", "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1",
            "TINYSHAKESPEARE_SOURCE": str(REPO_ROOT / "data" / "input.txt"), **extra}


def run(command, cwd, environment_, timeout=600):
    completed = subprocess.run(command, cwd=cwd, env=environment_, capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
    return completed, f"$ {' '.join(map(str, command))}  (in {cwd})\n{completed.stdout}\n{completed.stderr}"


def assert_chapter00_ran_on_the_stubs(completed, transcript):
    """The gate ran chapter 00's tests on the stubs: all red, the summary names the first step."""
    assert "8 failed" in completed.stdout and "next: chapter 00, step 1 of 8" in completed.stdout, transcript
    assert completed.returncode not in (0,), transcript


@pytest.mark.install
@pytest.mark.timeout(900)
def test_make_chapter00_then_pip_install_e_in_a_fresh_clone_reusing_the_torch_it_has(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    # A .venv made on the host of a Dev Container: its Python's path does not exist here, its stamp says done.
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "python").symlink_to("/nonexistent/host/python3")
    (clone / ".venv" / ".installed").touch()
    environment_ = clean_environment()

    completed, transcript = run(["make", "chapter00", "USE_SYSTEM_TORCH=yes", f"PYTHON={sys.executable}"], clone,
                                environment_)
    assert "does not run here" in completed.stdout, transcript
    assert "Reusing torch" in completed.stdout and "no torch is downloaded" in completed.stdout, transcript
    assert "chapter00] Error 1" in completed.stderr, f"set-up failed, not chapter 00's tests:\n{transcript}"
    assert_chapter00_ran_on_the_stubs(completed, transcript)
    python = environment.venv_python(clone / ".venv")
    torch_version, torch_home = environment.torch_of(python)
    assert clone not in Path(torch_home).parents, f"torch was installed into the clone's .venv ({torch_home})"

    completed, transcript = run([python, "-m", "pip", "install", "-q", "-e", "."], clone, environment_)
    assert completed.returncode == 0, transcript
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kata = python.parent / ("kata.exe" if os.name == "nt" else "kata")
    completed, transcript = run([kata, "chapter00"], elsewhere, environment_)
    assert_chapter00_ran_on_the_stubs(completed, transcript)
    completed, transcript = run(
        [python, "-c", "import katas.chapter00_warmup as k, kata_tools; print(k.__file__); print(kata_tools.__file__)"],
        elsewhere, environment_)
    assert completed.returncode == 0, transcript
    assert all(Path(line).is_relative_to(clone) for line in completed.stdout.split()), transcript


def pytorch_index_reachable():
    try:
        urllib.request.urlopen(f"{CPU_INDEX}/torch/", timeout=5).close()
    except Exception:
        return False
    return True


def pips_find_links():
    """The directories pip's configuration names in find-links (PIP_FIND_LINKS, pip.conf)."""
    found = os.environ.get("PIP_FIND_LINKS", "").split()
    completed = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True,
                               timeout=60)
    for line in completed.stdout.splitlines():
        key, _, value = line.partition("=")
        if key.endswith("find-links"):
            found += value.strip("'\"").split()
    return [Path(entry.removeprefix("file://")) for entry in found if not re.match(r"https?://", entry)]


def stand_in_for_pytorchs_index(root, version):
    """A local simple index with pip's local torch ``version`` wheel, in place of PyTorch's CPU index.

    uv locks for every Python the project supports: for the Python tags no local wheel has, the
    index lists wheels that hold only the real wheel's metadata (never installed here).
    Returns its file:// URL, or None when pip's find-links hold no such wheel for this Python.
    """
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform_tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    wheels = [wheel for directory in pips_find_links() if directory.is_dir()
              for wheel in directory.glob(f"torch-{version}+cpu-{tag}-{tag}-*.whl")
              if wheel.name.endswith(f"{platform_tag}.whl") or "manylinux" in wheel.name]
    if not wheels:
        return None
    real = wheels[0]
    folder = root / "torch"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(real) as wheel:
        info = next(name.split("/")[0] for name in wheel.namelist() if name.endswith(".dist-info/METADATA"))
        metadata = wheel.read(f"{info}/METADATA")
    links = [real]
    for other in (f"cp3{minor}" for minor in range(10, 15)):
        if other == tag:
            continue
        stand_in = folder / real.name.replace(f"{tag}-{tag}", f"{other}-{other}")
        with zipfile.ZipFile(stand_in, "w") as wheel:
            wheel.writestr(f"{info}/METADATA", metadata)
            wheel.writestr(f"{info}/WHEEL", f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: "
                                            f"{stand_in.name.removesuffix('.whl').split('-', 2)[2]}\n")
            wheel.writestr(f"{info}/RECORD", "")
        links.append(stand_in)
    anchors = "".join(f'<a href="{path.resolve().as_uri()}">{path.name}</a>\n' for path in links)
    (folder / "index.html").write_text(f"<!DOCTYPE html>\n<html><body>\n{anchors}</body></html>\n", encoding="utf-8")
    return root.resolve().as_uri()


@pytest.mark.install
@pytest.mark.timeout(900)
def test_uv_sync_then_uv_run_kata_and_make_in_a_fresh_clone(tmp_path):
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is not installed: `make test` installs it with the maintainers' tools (requirements-dev.txt)"
    clone = fresh_clone(tmp_path / "clone")
    environment_ = clean_environment(UV_PYTHON=sys.executable, UV_PYTHON_DOWNLOADS="never", UV_NO_PROGRESS="1",
                                     PATH=f"{Path(uv).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not pytorch_index_reachable():
        index = stand_in_for_pytorchs_index(tmp_path / "pytorch-cpu", make_variable("TORCH_VERSION"))
        if index is None:
            pytest.skip(f"{CPU_INDEX} is out of reach and pip's find-links hold no torch wheel to stand in for it")
        environment_["UV_INDEX"] = f"pytorch-cpu={index}"

    completed, transcript = run([uv, "sync"], clone, environment_)
    assert completed.returncode == 0, transcript
    python = environment.venv_python(clone / ".venv")
    torch_version, _ = environment.torch_of(python)
    assert torch_version == f"{make_variable('TORCH_VERSION')}+cpu" or sys.platform != "linux", torch_version
    installed = subprocess.run([uv, "pip", "list", "--python", python, "--format", "json"], capture_output=True,
                               text=True, timeout=120, env=environment_)
    present = {package["name"].lower() for package in json.loads(installed.stdout)}
    tools = set(MAINTAINERS_TOOLS)
    assert not present & tools, f"`uv sync` installed maintainers' tools: {present & tools}"
    assert not any(name.startswith("nvidia-") for name in present), f"`uv sync` installed CUDA libraries: {present}"

    completed, transcript = run([uv, "run", "kata", "chapter00"], clone, environment_)
    assert_chapter00_ran_on_the_stubs(completed, transcript)

    # The Makefile takes the uv-made .venv as its own: it installs nothing that is there, without pip.
    completed, transcript = run(["make", "chapter00"], clone, environment_)
    assert "chapter00] Error 1" in completed.stderr, f"set-up failed, not chapter 00's tests:\n{transcript}"
    assert_chapter00_ran_on_the_stubs(completed, transcript)
    assert "Installing" not in completed.stdout + completed.stderr and "Downloading" not in completed.stdout, transcript
