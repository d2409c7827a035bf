#!/usr/bin/env python3
"""ckanext-dcat's side of `healthcat bench linked-data`: serialise N datasets as a DCAT catalogue with
ckanext-dcat's own RDFSerializer.serialize_catalog — the code behind CKAN's /catalog.ttl — in pages,
as CKAN serves them.

SAMPLE is an RDF file of HealthDCAT-AP datasets (healthcat's demo data); it is read once with
ckanext-dcat's RDFParser into CKAN dataset dicts, which are then cycled (with fresh ids) up to N.
Only serialisation is timed; the Solr query for the catalogue's last modification is stubbed. At most --max-pages pages are serialised; the per-dataset cost of paged
serialisation does not depend on N, so a sample of pages gives the figure for any N, and the output
says how many were measured.

Prints one JSON object: datasets, pages_measured, per_page, seconds, per_dataset_ms, p50_page_ms,
p99_page_ms, bytes, peak_rss_mb.
"""
import argparse
import copy
import json
import resource
import sys
import time

from ckan.common import config

config["ckan.site_url"] = "http://localhost"

from ckanext.dcat.processors import RDFParser, RDFSerializer  # noqa: E402
from ckanext.dcat.profiles import base as profiles_base  # noqa: E402

# The catalogue's modification date comes from a Solr query in CKAN; there is no Solr here, so it is
# answered with a constant (which only makes ckanext-dcat's figures better than in production).
profiles_base.RDFProfile._last_catalog_modification = lambda self: "2026-01-01T00:00:00"

PROFILES = ["euro_health_dcat_ap"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sample")
    ap.add_argument("datasets", type=int)
    ap.add_argument("--per-page", type=int, default=100)
    ap.add_argument("--max-pages", type=int, default=100)
    ap.add_argument("--format", default="turtle")
    a = ap.parse_args()

    parser = RDFParser(profiles=PROFILES)
    with open(a.sample, encoding="utf-8") as f:
        parser.parse(f.read(), _format="turtle")
    sample = list(parser.datasets())
    if not sample:
        sys.exit("no dataset in the sample")

    def dataset(i):
        d = copy.deepcopy(sample[i % len(sample)])
        d["id"] = "ds-%d" % i
        d["name"] = "ds-%d" % i
        d["uri"] = "https://bench.example.org/dataset/%d" % i
        return d

    pages = (a.datasets + a.per_page - 1) // a.per_page
    measured = min(pages, a.max_pages)
    catalog = {"title": "Benchmark catalogue", "description": "ckanext-dcat serialisation",
               "homepage": "http://localhost"}
    times, total_bytes, done = [], 0, 0
    for p in range(measured):
        dicts = [dataset(i) for i in range(p * a.per_page, min((p + 1) * a.per_page, a.datasets))]
        at = "http://localhost/catalog.ttl?page=%d"
        info = {"count": a.datasets, "items_per_page": a.per_page, "current": at % (p + 1),
                "first": at % 1, "last": at % pages}
        if p + 1 < pages:
            info["next"] = at % (p + 2)
        if p > 0:
            info["previous"] = at % p
        start = time.perf_counter()
        out = RDFSerializer(profiles=PROFILES).serialize_catalog(
            catalog_dict=catalog, dataset_dicts=dicts, _format=a.format, pagination_info=info)
        times.append(time.perf_counter() - start)
        total_bytes += len(out)
        done += len(dicts)
    times_sorted = sorted(times)
    print(json.dumps({
        "datasets": a.datasets,
        "pages_measured": measured,
        "pages": pages,
        "per_page": a.per_page,
        "seconds": sum(times),
        "per_dataset_ms": 1000 * sum(times) / done,
        "p50_page_ms": 1000 * times_sorted[len(times) // 2],
        "p99_page_ms": 1000 * times_sorted[min(len(times) - 1, len(times) * 99 // 100)],
        "bytes": total_bytes,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
