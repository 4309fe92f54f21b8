"""Run Kommunplan from its own virtual environment, made on first use.

    python3 run.py up                 everything, with the demo data
    python3 run.py test [pytest args] the tests
    python3 run.py install            only make or update .venv
    python3 run.py <command> ...      any other `kommunplan` command

A distribution's Python (PEP 668) refuses `pip install` outside a virtual environment and
may lack ensurepip, so this script uses only the standard library and needs nothing but
python3 (and, without ensurepip, the system's pip).
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# Holds the hash of the pyproject.toml last installed, so an unchanged one is not reinstalled.
STAMP = VENV / ".kommunplan-pyproject"


def say(text: str) -> None:
    # To stderr, like the installer's own output: stdout is the command's, e.g. a token.
    print(f"run.py: {text}", file=sys.stderr, flush=True)


def run(*command: str | Path) -> bool:
    return subprocess.call([str(part) for part in command], stdout=sys.stderr) == 0


def succeeds(*command: str | Path) -> bool:
    """Whether ``command`` works, its output unseen: for trying before falling back."""
    quiet = subprocess.DEVNULL
    return subprocess.call([str(part) for part in command], stdout=quiet, stderr=quiet) == 0


def create_venv() -> None:
    say(f"skapar {VENV.name} med {sys.executable}")
    if succeeds(sys.executable, "-m", "venv", VENV):
        return
    # Debian and Ubuntu leave ensurepip out of python3 (it comes with python3-venv).
    say("ensurepip saknas; skapar den utan pip och installerar med systemets pip")
    shutil.rmtree(VENV, ignore_errors=True)
    if not run(sys.executable, "-m", "venv", "--without-pip", VENV):
        sys.exit("run.py: kunde inte skapa .venv; installera python3-venv")


def pip_install(*arguments: str) -> bool:
    if succeeds(PYTHON, "-m", "pip", "--version"):
        return run(PYTHON, "-m", "pip", "install", *arguments)
    # The system's pip installs into the venv (pip >= 22.3); PEP 668 only guards its own site.
    return run(sys.executable, "-m", "pip", "--python", PYTHON, "install", *arguments)


def pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_installed() -> None:
    if not PYTHON.exists():
        create_venv()
    wanted = pyproject_hash()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say("installerar projektet med utvecklingsberoenden i .venv (första gången tar en stund)")
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    if not pip_install("--quiet", "--editable", f"{ROOT}[dev]"):
        sys.exit("run.py: installationen misslyckades; se pip:s meddelanden ovan")
    STAMP.write_text(wanted)


def replace_with(*command: str | Path) -> None:
    """Run ``command`` in this process's place, so Ctrl-C and SIGTERM reach it directly."""
    arguments = [str(part) for part in command]
    os.environ["VIRTUAL_ENV"] = str(VENV)
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    os.chdir(ROOT)
    if os.name == "nt":
        sys.exit(subprocess.call(arguments))
    os.execv(arguments[0], arguments)


def main(arguments: list[str]) -> None:
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if arguments else 2)
    ensure_installed()
    command, rest = arguments[0], arguments[1:]
    if command == "install":
        say(f"klart: {PYTHON}")
    elif command == "test":
        replace_with(PYTHON, "-m", "pytest", *rest)
    else:
        replace_with(PYTHON, "-m", "kommunplan", command, *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
