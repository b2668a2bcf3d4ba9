"""Run the DfE's SSDA903 rules validator (csc-validator-be-903, imported as lac_validator) on a
folder of tables written by `manage.py export_ssda903`, and print, as JSON, each rule that
found errors with its number of failing rows.

    .venv-903/bin/python tools/validator903/run.py DIR YEAR [RULE ...]

Runs under .venv-903 (`make validator903`), never inside MACE's own environment."""

import importlib
import json
import logging
import sys
from pathlib import Path

logging.disable(logging.INFO)


def main() -> None:
    folder, year, *rules = sys.argv[1:]
    end = int(year)
    ruleset = f"lac{end - 1}_{end % 100:02d}"
    from lac_validator.lac_validator import LacValidator
    from lac_validator.report import Report

    files = [
        {"name": path.name, "file_content": path.read_bytes(), "description": "This year"}
        for path in sorted(Path(folder).glob("*.csv"))
    ]
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    validator = LacValidator(
        metadata={"collectionYear": str(end), "localAuthority": "E09000004"},
        files=files,
        registry=registry,
        selected_rules=rules or None,
    )
    report = Report(validator.ds_results, registry)
    errors = report.error_report  # one row a failing rule: Code, Description, Fields, Count
    counts = {}
    if errors is not None and len(errors):
        counts = {str(row.Code): int(row.Count) for row in errors.itertuples()}
    print(
        json.dumps({"ruleset": ruleset, "ran": sorted(map(str, validator.dones)), "errors": counts})
    )


if __name__ == "__main__":
    main()
