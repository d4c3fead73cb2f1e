"""Write a CoNLL04 split as newsgraph documents and gold files (for ``newsgraph train``).

Each sentence of the Table-Sequence file becomes one document ``docs/<split>_NNNN.txt``
(its tokens joined by spaces, as ``benchmarks/conll04.py`` feeds them to the pipeline) and
one gold file ``gold/<split>_NNNN.tsv`` in the annotation format of
``../shared/annotation-format.md``: subject, relation, object, evidence (the sentence),
relations mapped to the vocabulary as in ``benchmarks/conll04.py`` (``MAPPING``).

CoNLL04 is third-party text: the output folder must lie outside the repository.

    python benchmarks/conll04_gold.py /tmp/conll-train                  # train split
    python benchmarks/conll04_gold.py /tmp/conll-dev --split dev
    newsgraph train /tmp/conll-train/docs /tmp/conll-train/gold -o /tmp/conll-model
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.conll04 import DEFAULT_DATA, MAPPING, SPLIT_FILES  # noqa: E402


class ConvertError(Exception):
    """A split that cannot be read or written; the message names the file."""


def records(path: Path) -> list[dict]:
    """The records of a Table-Sequence CoNLL04 file, checked for the fields used here."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ConvertError(f"{path}: not found (pass --data DIR)") from err
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConvertError(f"{path}: not a CoNLL04 JSON file ({err})") from err
    if not isinstance(data, list):
        raise ConvertError(f"{path}: not a CoNLL04 JSON file (expected a list of sentences)")
    for n, rec in enumerate(data):
        ok = isinstance(rec, dict) and isinstance(rec.get("tokens"), list) and isinstance(rec.get("relations"), list)
        if ok:
            size = len(rec["tokens"])
            ok = all(
                isinstance(r, list) and len(r) == 5 and r[4] in MAPPING
                and all(isinstance(i, int) for i in r[:4]) and 0 <= r[0] < r[1] <= size and 0 <= r[2] < r[3] <= size
                for r in rec["relations"]
            )
        if not ok:
            raise ConvertError(f"{path}: sentence {n}: expected tokens and relations [hs, he, ts, te, type] "
                               f"with a CoNLL04 relation type ({', '.join(MAPPING)})")
    return data


def gold_lines(record: dict) -> list[str]:
    """The gold file lines of one sentence: unique triples in file order."""
    tokens: list[str] = record["tokens"]
    text = " ".join(tokens)
    lines: list[str] = []
    for hs, he, ts, te, label in record["relations"]:
        line = "\t".join((" ".join(tokens[hs:he]), MAPPING[label], " ".join(tokens[ts:te]), text))
        if line not in lines:
            lines.append(line)
    return lines


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def convert(data: Path, split: str, out: Path) -> int:
    """Write ``out/docs`` and ``out/gold`` for ``split``; returns the number of sentences."""
    out = out.resolve()
    if out == ROOT or ROOT in out.parents:
        raise ConvertError(f"{out}: inside the repository; CoNLL04 text must not go there (pick e.g. /tmp/conll-{split})")
    recs = records(data / SPLIT_FILES[split])
    docs, gold = out / "docs", out / "gold"
    try:
        docs.mkdir(parents=True, exist_ok=True)
        gold.mkdir(parents=True, exist_ok=True)
        width = max(4, len(str(len(recs))))
        for i, rec in enumerate(recs):
            stem = f"{split}_{i:0{width}d}"
            _write(docs / f"{stem}.txt", " ".join(rec["tokens"]) + "\n")
            _write(gold / f"{stem}.tsv", "".join(line + "\n" for line in gold_lines(rec)))
    except OSError as err:
        raise ConvertError(f"{err.filename or out}: cannot write ({err.strerror or err})") from err
    return len(recs)


#: the vocabulary relations CoNLL04 annotates (its five, under MAPPING)
ANNOTATED = frozenset(MAPPING.values()) | {"bornIn"}
#: newsgraph type pairs a CoNLL04 relation can join (Loc = Place, Country or Facility)
_LOC = ("Place", "Country", "Facility")
SIGNATURES = frozenset(
    {"tp=Person>Organization", "tp=Person>Person"}
    | {f"tp=Organization>{b}" for b in _LOC} | {f"tp=Person>{b}" for b in _LOC}
    | {f"tp={a}>{b}" for a in _LOC for b in _LOC}
)


def partial_labels(prepared: list) -> list:
    """CoNLL04 training documents as partial annotation (``graph.train.Prepared`` in and out).

    CoNLL04 annotates five relations only, so a pair it leaves unlabelled is only known not
    to be one of them: such a pair is dropped unless its types fit one of the five and no rule
    claims a relation CoNLL04 does not annotate (else it would teach the model that, say, a
    ``leads`` or ``memberOf`` pair is no relation).  CoNLL04 files leadership under Work_For
    and nationality under Live_In; where a rule says ``leads`` or ``nationality`` for such a
    gold pair, that is its label, as the annotation guidelines want.
    """
    from graph.train import Prepared

    out = []
    for p in prepared:
        pairs, labels = [], []
        for pair, label in zip(p.pairs, p.labels, strict=True):
            said = {r.relation for r in pair.rules}
            if label == "NONE" and (said - ANNOTATED or not SIGNATURES & pair.features.keys()):
                continue
            if label == "worksFor" and "leads" in said:
                label = "leads"
            elif label == "livesIn" and "nationality" in said:
                label = "nationality"
            pairs.append(pair)
            labels.append(label)
        out.append(Prepared(p.stem, p.extraction, pairs, p.gold, labels, p.reachable))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write docs/ and gold/ into (outside the repository)")
    parser.add_argument("--split", choices=sorted(SPLIT_FILES), default="train", help="CoNLL04 split (default train)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"CoNLL04 folder (default {DEFAULT_DATA})")
    args = parser.parse_args(argv)
    try:
        n = convert(args.data, args.split, args.out)
    except ConvertError as err:
        print(f"conll04_gold: {err}", file=sys.stderr)
        return 2
    print(f"wrote {n} documents to {args.out / 'docs'} and {n} gold files to {args.out / 'gold'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
