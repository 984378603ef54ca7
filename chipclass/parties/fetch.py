"""`parties fetch`: the only code that uses the network.

Downloads a CSL file (urllib, with a deadline), verifies it exactly as `import` does,
compares it with the snapshot it would replace, and only then renames the new snapshot
into place. A failed download, a file that does not verify, or a list that shrank by
more than `MAX_SHRINK` (overall, or in any source list) leaves the previous snapshot as
it was.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Final

from chipclass import __version__
from chipclass.parties.csl import read_csl
from chipclass.parties.model import PartiesError, Problem, Snapshot
from chipclass.parties.store import manifest_for, write_snapshot

DEFAULT_URL: Final = (
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)
#: a new list with more than this share fewer entries (overall or in a source list) is refused
MAX_SHRINK: Final = Fraction(1, 10)
#: source lists smaller than this in the previous snapshot are checked only for vanishing
SMALL_LIST: Final = 20
DEFAULT_TIMEOUT: Final = 120.0
MAX_BYTES: Final = 512 * 1024 * 1024
_CHUNK: Final = 1 << 16


class FetchError(Exception):
    """A download that failed or did not verify; the previous snapshot is kept."""


@dataclass(frozen=True)
class Shrink:
    list: str  # "all lists" or a source list's name
    old: int
    new: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.old - self.new, self.old)

    def __str__(self) -> str:
        pct = float(self.share * 100)
        return f"{self.list}: {self.old:,} -> {self.new:,} entries ({pct:.1f} % fewer)"


class ShrinkError(Exception):
    """The new list is suspiciously smaller than the previous one."""

    def __init__(self, shrinks: list[Shrink]) -> None:
        super().__init__("; ".join(str(s) for s in shrinks))
        self.shrinks = shrinks


@dataclass(frozen=True)
class Fetched:
    snapshot: Snapshot
    previous: Snapshot | None
    shrinks: tuple[Shrink, ...]  # accepted with allow_shrink


def shrinks(old: Snapshot, new_counts: dict[str, int], new_total: int) -> list[Shrink]:
    """Every way the new list shrank past MAX_SHRINK against the old one."""
    found: list[Shrink] = []
    old_total = len(old.entries)
    if old_total and Fraction(old_total - new_total, old_total) > MAX_SHRINK:
        found.append(Shrink("all lists", old_total, new_total))
    for name, count in old.per_list():
        now = new_counts.get(name, 0)
        if count < SMALL_LIST:
            if now == 0:
                found.append(Shrink(name, count, now))
        elif Fraction(count - now, count) > MAX_SHRINK:
            found.append(Shrink(name, count, now))
    return found


def download(url: str, target: Path, timeout: float) -> None:
    """`url` into the file `target`, within `timeout` seconds in all."""
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http:// and https:// URLs are fetched")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": f"chipclass/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = getattr(response, "status", 200)
            if status != 200:
                raise FetchError(f"{url}: HTTP {status}")
            size = 0
            with open(target, "wb") as handle:
                while True:
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: timed out after {timeout:g} s")
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise FetchError(f"{url}: larger than {MAX_BYTES // 2**20} MiB")
                    handle.write(chunk)
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(f"{url}: timed out after {timeout:g} s") from None
        raise FetchError(f"{url}: cannot download: {reason}") from None
    except TimeoutError:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except OSError as error:
        raise FetchError(f"{url}: cannot download: {error}") from None


def fetch(
    url: str,
    target: Path,
    timeout: float = DEFAULT_TIMEOUT,
    allow_shrink: bool = False,
    now: dt.datetime | None = None,
) -> Fetched:
    """Download, verify, compare, then replace `target`; raises FetchError, PartiesError
    (the download does not verify) or ShrinkError, each leaving `target` as it was."""
    previous = _previous(target)
    folder = target.parent if str(target.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".download", dir=folder)
    os.close(fd)
    temp = Path(temp_name)
    try:
        download(url, temp, timeout)
        name = url.rstrip("/").rsplit("/", 1)[-1] or "download"
        read = read_csl(temp, f"{url} (downloaded)")
        manifest = manifest_for(read, name, now or dt.datetime.now(dt.timezone.utc), url)
        found: list[Shrink] = []
        if previous is not None:
            found = shrinks(previous, dict(manifest.per_list), manifest.entries)
            if found and not allow_shrink:
                raise ShrinkError(found)
        snapshot = write_snapshot(read.entries, manifest, target)
        return Fetched(snapshot, previous, tuple(found))
    finally:
        temp.unlink(missing_ok=True)


def _previous(target: Path) -> Snapshot | None:
    if not target.exists():
        return None
    from chipclass.parties.lists import load_list

    try:
        return load_list(target)
    except PartiesError as error:
        problems = [*error.problems, Problem(str(target), "the previous snapshot is unreadable")]
        raise PartiesError(problems) from None
