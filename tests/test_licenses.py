"""The licences stay declared: LICENSE holds the AGPL, docs/LICENSES.md lists every dependency.

docs/LICENSES.md has a table per group of packages (a level-3 heading, then rows
`| package | version | licence | what for |`). The runtime and development tables together
must name exactly the packages of requirements.lock, at the locked versions, and the
training-only table every package of the `train` extra; so adding, dropping or upgrading a
dependency without saying its licence fails here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
LOCKED_GROUPS = ("Runtime", "Development")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    """requirements.lock as {normalised name: version}."""
    pins = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[normalised(Requirement(name).name)] = version.strip()
    return pins


def documented() -> dict[str, dict[str, str]]:
    """docs/LICENSES.md's package tables as {group heading: {normalised name: version}}."""
    groups: dict[str, dict[str, str]] = {}
    group = None
    for line in (REPO / "docs" / "LICENSES.md").read_text().splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            group = heading if line.startswith("### ") else None
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if group and line.startswith("|") and len(cells) == 4 and cells[0] != "package":
            if set(cells[0]) <= {"-", " "}:  # the table's rule
                continue
            groups.setdefault(group, {})[normalised(cells[0])] = cells[1]
    return groups


def test_every_locked_package_is_listed_with_its_version_and_nothing_else():
    groups = documented()
    listed: dict[str, str] = {}
    for group in LOCKED_GROUPS:
        assert groups.get(group), f"docs/LICENSES.md has no '### {group}' table"
        listed.update(groups[group])
    pins = locked()

    missing = sorted(set(pins) - set(listed))
    assert not missing, f"in requirements.lock but not in docs/LICENSES.md: {missing}"
    gone = sorted(set(listed) - set(pins))
    assert not gone, f"in docs/LICENSES.md but no longer in requirements.lock: {gone}"
    stale = {n: (listed[n], pins[n]) for n in pins if listed[n] != pins[n]}
    assert not stale, f"docs/LICENSES.md version differs from requirements.lock: {stale}"


def test_every_training_only_package_is_listed():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    train = project["optional-dependencies"]["train"]
    wanted = {normalised(Requirement(r).name) for r in train}
    listed = set(documented().get("Training only", {}))
    assert wanted and wanted <= listed, f"train extra not listed: {sorted(wanted - listed)}"


def test_the_declared_licence_is_the_agpl_in_full():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["license"]
    assert declared == "AGPL-3.0-or-later"
    text = (REPO / "LICENSE").read_text()
    lines = [line.strip() for line in text.strip().splitlines()]
    assert lines[:2] == ["GNU AFFERO GENERAL PUBLIC LICENSE", "Version 3, 19 November 2007"]
    assert "END OF TERMS AND CONDITIONS" in text
    assert lines[-1] == "<https://www.gnu.org/licenses/>."
