"""Error classes with clear one-line messages; the CLI maps them to exit codes.

Exit codes (as in pySHACL): 0 ok, 1 a finding (some input was skipped, an eval below
threshold), 2 a runtime or usage error.
"""

from __future__ import annotations

from graph.names import clean_name  # names may hold surrogates or controls

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_ERROR = 2


def describe(err: BaseException, limit: int = 300) -> str:
    """An unexpected exception as one short line, ``Type: message``, for a problem report."""
    return f"{type(err).__name__}: {' '.join(str(err).split())[:limit]}"


class NewsgraphError(Exception):
    """Base class: ``str(err)`` is a one-line message fit for users."""

    exit_code = EXIT_ERROR


class InputError(NewsgraphError):
    """A document could not be read or decoded; names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        path, problem = clean_name(str(path)), clean_name(str(problem))
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ModelError(NewsgraphError):
    """The spaCy model could not be loaded."""


class RulesError(NewsgraphError):
    """A rules file (vocabulary, gazetteer, patterns) is malformed."""


class GraphLoadError(NewsgraphError):
    """A graph file or store could not be opened or parsed."""


class QueryError(NewsgraphError):
    """A SPARQL query is malformed, unknown, or its parameters are wrong."""


class ExportError(NewsgraphError):
    """An export format is unknown or the graph cannot be written in it."""


class StoreError(NewsgraphError):
    """A store (on-disk or remote endpoint) failed."""


class ClusterError(NewsgraphError):
    """The Dask cluster cannot be used (not installed, unreachable, workers unlike the client)."""


class SkippedInputs(NewsgraphError):
    """Raised by the CLI when a build finished but some inputs were skipped."""

    exit_code = EXIT_FINDING
