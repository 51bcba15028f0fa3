"""Check every site data file against the catalog and the official district list.

.venv/bin/python -m scheduled.check_sites
"""

from __future__ import annotations

import sys

from chalicelib.domain.sites import site_problems
from chalicelib.store.reference import national_catalog, official_districts
from chalicelib.store.site_files import read_site_file, site_files


def main() -> int:
    failed = False
    files = site_files()
    if not files:
        print("no site files found")
        return 1
    for path in files:
        site = read_site_file(path)
        problems = site_problems(site, national_catalog(), official_districts())
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(
            f"{path.name}: {site.id} {site.name} — {len(site.districts)} districts, "
            f"{len(site.categories)} categories, {len(site.methods)} methods: {status}"
        )
        for p in problems:
            print(f"  - {p}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
