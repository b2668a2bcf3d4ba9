"""Print the load run's figures from locust's stats CSV: each request name and the whole run
with its count, failures, throughput and 50th, 95th and 99th percentile times, as the Markdown
table docs/performance.md keeps, then the totals as `name: value` lines."""

import csv
import sys


def main(path: str) -> None:
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    print("| method | request | count | failures | per second | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        name = "**all requests**" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {row['Type']} | {name} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(f"requests: {total['Request Count']}")
    print(f"failures: {total['Failure Count']}")
    print(f"throughput_rps: {float(total['Requests/s']):.1f}")
    for percentile in ("50%", "95%", "99%"):
        print(f"p{percentile.rstrip('%')}_ms: {total[percentile]}")


if __name__ == "__main__":
    main(sys.argv[1])
