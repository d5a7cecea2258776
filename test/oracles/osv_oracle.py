#!/usr/bin/python3
"""An independent OSV matcher, used only as a test oracle for Drydock's matching.

Reads a JSON request on stdin: {"files": [JSONL paths], "queries": [{"ecosystem", "name", "version", "scheme"}]}
and prints {"<ecosystem>|<name>|<version>": [advisory ids]} following the OSV evaluation rules
(https://ossf.github.io/osv-schema/#evaluation), with each ecosystem's own comparator from
Debian's Python libraries where one exists: PEP 440 via pypa packaging, rpm via rpm.labelCompare.
Plain X.Y.Z[-pre] semantic versions (Go, npm, crates.io in the chosen fixtures) use a small
semver comparison. Withdrawn records never match.
"""
import json
import re
import sys
from functools import cmp_to_key

from packaging.version import Version


def cmp_pep440(a, b):
    x, y = Version(a), Version(b)
    return (x > y) - (x < y)


def split_evr(text):
    epoch, _, rest = text.rpartition(":") if ":" in text else ("0", "", text)
    version, _, release = rest.rpartition("-") if "-" in rest else (rest, "", "")
    return (epoch or "0", version, release)


def cmp_rpm(a, b):
    import rpm
    return rpm.labelCompare(split_evr(a), split_evr(b))


SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$")


def cmp_semver(a, b):
    ma, mb = SEMVER.match(a), SEMVER.match(b)
    if not ma or not mb:
        raise ValueError("not semver: %r %r" % (a, b))
    ta = tuple(int(x) for x in ma.groups()[:3])
    tb = tuple(int(x) for x in mb.groups()[:3])
    if ta != tb:
        return (ta > tb) - (ta < tb)
    pa, pb = ma.group(4), mb.group(4)
    if pa == pb:
        return 0
    if pa is None:
        return 1
    if pb is None:
        return -1
    for x, y in zip(pa.split("."), pb.split(".")):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            return (int(x) > int(y)) - (int(x) < int(y))
        if x.isdigit():
            return -1
        if y.isdigit():
            return 1
        return (x > y) - (x < y)
    return (len(pa.split(".")) > len(pb.split("."))) - (len(pa.split(".")) < len(pb.split(".")))


COMPARATORS = {"pep440": cmp_pep440, "rpm": cmp_rpm, "semver": cmp_semver}


def affected(version, entry, cmp):
    if version in entry.get("versions", []):
        return True
    for rng in entry.get("ranges", []):
        if rng["type"] not in ("ECOSYSTEM", "SEMVER"):
            continue
        events = rng["events"]

        def key(event):
            value = next(iter(event.values()))
            return value

        def order(e1, e2):
            v1, v2 = key(e1), key(e2)
            if v1 == "0":
                return -1 if v2 != "0" else 0
            if v2 == "0":
                return 1
            return cmp(v1, v2)

        state = False
        for event in sorted(events, key=cmp_to_key(order)):
            if "introduced" in event and (event["introduced"] == "0" or cmp(version, event["introduced"]) >= 0):
                state = True
            elif "fixed" in event and cmp(version, event["fixed"]) >= 0:
                state = False
            elif "last_affected" in event and cmp(version, event["last_affected"]) > 0:
                state = False
            elif "limit" in event and cmp(version, event["limit"]) >= 0:
                state = False
        if state:
            return True
    return False


def normalise(ecosystem, name):
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == "PyPI" else name


def main():
    request = json.load(sys.stdin)
    index = {}
    for path in request["files"]:
        with open(path) as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("withdrawn"):
                    continue
                for entry in record.get("affected", []):
                    pkg = entry["package"]
                    index.setdefault((pkg["ecosystem"], normalise(pkg["ecosystem"], pkg["name"])), []).append((record["id"], entry))
    result = {}
    for query in request["queries"]:
        cmp = COMPARATORS[query["scheme"]]
        name = normalise(query["ecosystem"], query["name"])
        ids = sorted({rid for rid, entry in index.get((query["ecosystem"], name), []) if affected(query["version"], entry, cmp)})
        result["%s|%s|%s" % (query["ecosystem"], query["name"], query["version"])] = ids
    json.dump(result, sys.stdout)


main()
