"""``make setup``: the virtual environment .venv, with torch and the requirements.

Run by the Python that sets up (the Makefile's ``PYTHON``) before anything is installed,
so it needs only the standard library:

    python -m kata_tools.environment [--venv .venv] [--torch torch==2.13.0] [--torch-args "--index-url URL"]
                                     [--system-torch] [--requirements requirements.txt]

- A .venv whose Python does not run here (made on another machine: the host of a Dev
  Container, or by a Python since removed) is made again.
- A .venv made by ``uv sync`` is used as it is. It has no pip: what is missing is installed
  with ``uv pip`` when uv is on the PATH, else with the pip that ensurepip puts in.
- torch is installed only into a .venv that has none (``--torch`` with ``--torch-args``).
- ``--system-torch`` (``make setup USE_SYSTEM_TORCH=yes``): when the Python that sets up
  already has torch MINIMUM_TORCH or newer, a new .venv sees its packages
  (``venv --system-site-packages``) and no torch is downloaded. Otherwise it says why and
  installs torch as usual.

For a Python that is used as it is (a notebook's kernel, Colab), ``missing_requirements``
and ``install_missing`` install only what that Python lacks, keeping its torch.
"""

import argparse
import gettext
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO_ROOT / "requirements.txt"
MINIMUM_TORCH = (2, 2)
_QUIET = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "timeout": 300}


def say(key, **values):
    """Print the message ``key`` in the learner's language (stdout, flushed)."""
    try:
        from kata_tools.i18n import t
    except ImportError:  # the Python that sets up has none of the tools' requirements yet (wcwidth, tomli)
        lang = (os.environ.get("KATA_LANG") or os.environ.get("LANGUAGE") or os.environ.get("LC_ALL")
                or os.environ.get("LANG") or "en")[:2].lower()
        catalogue = gettext.translation("kata", Path(__file__).resolve().parent / "locale",
                                        languages=[lang if lang in ("zh", "ja") else "en"], fallback=True)
        text = catalogue.gettext(key).format(**values)
    else:
        text = t(key, **values)
    print(text, flush=True)


def venv_python(venv):
    """The Python of the virtual environment at ``venv`` (bin/python, or Scripts\\python.exe on Windows)."""
    venv = Path(venv)
    return venv / "Scripts" / "python.exe" if os.name == "nt" else venv / "bin" / "python"


def runs(python):
    """Whether ``python`` starts (a .venv copied from another machine has a Python that does not)."""
    try:
        return subprocess.run([str(python), "-c", "import sys"], **_QUIET).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def torch_of(python):
    """(torch's version, the directory it is installed in) for ``python``, or None when it has none."""
    code = "import os, torch; print(torch.__version__); print(os.path.dirname(os.path.dirname(torch.__file__)))"
    try:
        completed = subprocess.run([str(python), "-c", code], **_QUIET)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = completed.stdout.strip().splitlines()
    return (lines[-2], lines[-1]) if completed.returncode == 0 and len(lines) >= 2 else None


def recent_enough(version, minimum=MINIMUM_TORCH):
    """Whether a torch version string ("2.13.0+cpu", "2.5.1") is at least ``minimum`` (major, minor)."""
    found = re.match(r"(\d+)\.(\d+)", version or "")
    return bool(found) and (int(found.group(1)), int(found.group(2))) >= minimum


def has_pip(python):
    return subprocess.run([str(python), "-m", "pip", "--version"], **_QUIET).returncode == 0


def installer(python):
    """The command that installs into ``python``: its pip, else ``uv pip`` (a uv-made .venv), else ensurepip's pip."""
    if has_pip(python):
        return [str(python), "-m", "pip", "install"]
    uv = shutil.which("uv")
    if uv:
        return [uv, "pip", "install", "--python", str(python)]
    if subprocess.run([str(python), "-m", "ensurepip", "--upgrade"], **_QUIET).returncode == 0:
        return [str(python), "-m", "pip", "install"]
    say("env.no_installer", python=python)
    raise SystemExit(1)


def make_venv(venv, system_site_packages=False):
    import venv as venv_module

    venv_module.EnvBuilder(with_pip=_has_ensurepip(), system_site_packages=system_site_packages).create(venv)


def _has_ensurepip():
    try:
        import ensurepip  # noqa: F401
    except ImportError:  # Debian's python3 without python3-venv, Colab: the installer falls back to uv
        return False
    return True


def reuse_torch(venv, found):
    """Let the new .venv import the torch ``found`` = (version, directory) when it does not see it already.

    ``--system-site-packages`` shows the base installation's packages; the Python that sets up may
    itself be a virtual environment (or conda's), whose packages it does not show: a .pth file adds
    that directory after the .venv's own.
    """
    python = venv_python(venv)
    if torch_of(python) is not None:
        return
    # The .venv's own site-packages first, then the directory the torch came from.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             **_QUIET).stdout.strip()
    Path(purelib, "kata-system-torch.pth").write_text(found[1] + "\n", encoding="utf-8")


def sees_other_packages(venv):
    """Whether ``venv`` was made to see another Python's packages (--system-site-packages or our .pth file)."""
    venv = Path(venv)
    configuration = venv / "pyvenv.cfg"
    text = configuration.read_text(encoding="utf-8", errors="replace") if configuration.exists() else ""
    return (re.search(r"^include-system-site-packages\s*=\s*true\s*$", text, re.M | re.I) is not None
            or any(venv.glob("**/site-packages/kata-system-torch.pth")))


def set_up(venv, torch="torch", torch_args="", system_torch=False, requirements=REQUIREMENTS):
    """Make ``venv`` ready: a Python that runs, torch, and ``requirements`` installed."""
    venv = Path(venv)
    python = venv_python(venv)
    if (venv.exists() or venv.is_symlink()) and not runs(python):
        say("env.broken_venv", venv=venv, python=python)
        shutil.rmtree(venv) if venv.is_dir() and not venv.is_symlink() else venv.unlink()
    reused = None
    if not venv.exists():
        if system_torch:
            found = torch_of(sys.executable)
            if found and recent_enough(found[0]):
                reused = found
                say("env.system_torch", version=found[0], python=sys.executable)
            else:
                say("env.system_torch_missing", python=sys.executable, found=found[0] if found else "-",
                    minimum=".".join(map(str, MINIMUM_TORCH)), torch=torch)
        make_venv(venv, system_site_packages=reused is not None)
        if reused:
            reuse_torch(venv, reused)
    elif system_torch and not sees_other_packages(venv):
        say("env.system_torch_existing_venv", venv=venv)
    install = installer(python)
    if not reused and torch_of(python) is None:
        subprocess.run([*install, torch, *shlex.split(torch_args)], check=True)
    subprocess.run([*install, "-r", str(requirements)], check=True)


def _requirement_lines(requirements):
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            yield line


def missing_requirements(python=None, requirements=REQUIREMENTS, versions=False):
    """The lines of ``requirements`` that ``python`` (default: this one) does not satisfy.

    torch counts as satisfied by any torch MINIMUM_TORCH or newer: a notebook keeps its kernel's
    torch (Colab's CUDA build). Markers are evaluated. Other packages count when installed at any
    version, so that a kernel keeps the matplotlib or numpy it came with; ``versions=True`` holds
    them to the pins too.
    """
    python = str(python or sys.executable)
    code = (
        "import sys, json\n"
        "from importlib import metadata\n"
        "try:\n"
        "    from packaging.requirements import Requirement\n"
        "except ImportError:\n"
        "    from pip._vendor.packaging.requirements import Requirement\n"
        "missing = []\n"
        "for line in json.loads(sys.argv[1]):\n"
        "    requirement = Requirement(line)\n"
        "    if requirement.marker and not requirement.marker.evaluate():\n"
        "        continue\n"
        "    try:\n"
        "        version = metadata.version(requirement.name)\n"
        "    except metadata.PackageNotFoundError:\n"
        "        missing.append(line); continue\n"
        "    if sys.argv[2] == 'versions' and requirement.name != 'torch'"
        " and not requirement.specifier.contains(version, prereleases=True):\n"
        "        missing.append(line)\n"
        "print(json.dumps(missing))\n"
    )
    import json

    lines = list(_requirement_lines(requirements))
    completed = subprocess.run([python, "-c", code, json.dumps(lines), "versions" if versions else "names"], **_QUIET)
    if completed.returncode != 0:  # neither packaging nor pip to read the lines with: install them all
        return lines
    missing = json.loads(completed.stdout)
    if "torch" not in " ".join(missing):
        found = torch_of(python)
        if found is None or not recent_enough(found[0]):
            missing.insert(0, "torch>=" + ".".join(map(str, MINIMUM_TORCH)))
    return missing


def install_missing(python=None, requirements=REQUIREMENTS, versions=False):
    """Install into ``python`` (default: this one) only what it lacks of ``requirements``; keeps its torch.

    No virtual environment is made: this is for a Python used as it is, a notebook's kernel.
    Returns the requirement lines it installed (an empty list when nothing was missing).
    """
    python = python or sys.executable
    missing = missing_requirements(python, requirements, versions)
    if missing:
        subprocess.run([*installer(python), *missing], check=True)
    return missing


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.environment", description=__doc__.split("\n")[0])
    parser.add_argument("--venv", default=".venv")
    parser.add_argument("--torch", default="torch", help="the torch requirement to install, e.g. torch==2.13.0")
    parser.add_argument("--torch-args", default="", help="installer arguments for torch, e.g. '--index-url URL'")
    parser.add_argument("--system-torch", action="store_true",
                        help="reuse the torch of the Python that runs this, when it is recent enough")
    parser.add_argument("--requirements", default=str(REQUIREMENTS))
    arguments = parser.parse_args(argv)
    try:
        set_up(arguments.venv, arguments.torch, arguments.torch_args, arguments.system_torch, arguments.requirements)
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
