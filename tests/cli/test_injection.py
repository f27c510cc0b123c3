"""SQL and FTS5 injection through every text parameter of the CLI read commands.

Each string goes into each text argument/option; the command must end with its
normal output or a clear one-line error (never a traceback, never the catch-all
"echolot: error: <Exception>: ..." of an unexpected failure), and afterwards the store
must be intact: same tables, same articles, integrity check ok, search still works.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.cli import main

INJECTIONS = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "1; DELETE FROM articles",
    "x' UNION SELECT name, sql, 1, 1, 1, 1 FROM sqlite_master --",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "Minist*",
    '"',
    '"unbalanced',
    "'",
    "a AND OR NOT b",
    "title:Minister",
    "{title text}: x",
    "^Minister",
    "a\x00b",
    "\x00",
    "%",
    "_",
    "\\",
    "()",
    "-",
    "",
    " ",
    "🙂" * 50,
    "a" * 5000,
]

# the catch-all line of an unexpected exception ("echolot: error: OperationalError: ..."); a clear
# message ("Error: no article with id ...", "echolot: error: File name too long: ...") is fine
UNEXPECTED = re.compile(r"echolot: error: \w*(Error|Exception|Warning)\b")

# (verb, where the string goes): {} is replaced by the injection string
COMMANDS = [
    ["search", "{}"], ["search", "{}", "--json"], ["show", "{}"], ["show", "{}", "--json"], ["trace", "{}"],
    ["stories", "--since", "{}"], ["stories", "--lang", "{}", "--json"], ["story", "{}"], ["story", "1", "--lang", "{}"],
    ["entity", "{}"], ["entity", "{}", "--json"], ["quotes", "--speaker", "{}"], ["quotes", "--lang", "{}", "--json"],
    ["narratives", "claims", "{}"], ["narrative", "{}"], ["ingest", "--source", "{}", "--no-analyze", "{}"],
    ["eval", "{}"],
]


def _state(db: Path) -> tuple[list[str], int, str]:
    with sqlite3.connect(db) as conn:
        tables = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return tables, articles, check


@pytest.mark.parametrize("template", COMMANDS, ids=lambda c: " ".join(c))
def test_injection_strings_in_every_text_parameter(cli_store: Path, template: list[str]) -> None:
    before = _state(cli_store)
    runner = CliRunner()
    for value in INJECTIONS:
        args = [value if part == "{}" else part for part in template]
        result = runner.invoke(main, ["--db", str(cli_store), *args])
        where = f"{template} with {value[:40]!r}"
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"{where}: {type(result.exception).__name__}: {result.exception}"
        assert result.exit_code in (0, 1, 2), where
        assert "Traceback" not in result.output, where
        assert not UNEXPECTED.search(result.output), f"{where}: {result.output.strip()[-300:]}"
        if result.exit_code:
            assert result.output.strip(), where  # a failure says why
    assert _state(cli_store) == before
    hits = json.loads(runner.invoke(main, ["--db", str(cli_store), "search", "Minister", "--json"]).stdout)
    assert hits  # the full-text index still answers


def test_export_paths_with_injection_strings(cli_store: Path, tmp_path: Path) -> None:
    before = _state(cli_store)
    runner = CliRunner()
    for value in INJECTIONS:
        name = value.replace("/", "_")
        result = runner.invoke(main, ["--db", str(cli_store), "export", "--format", "jsonl", "--all",
                                      "-o", str(tmp_path / f"x{name}.jsonl")])
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output, value
        assert not UNEXPECTED.search(result.output), f"{value!r}: {result.output.strip()[-300:]}"
    assert _state(cli_store) == before


def test_search_treats_fts_syntax_as_words(cli_store: Path) -> None:
    runner = CliRunner()
    plain = json.loads(runner.invoke(main, ["--db", str(cli_store), "search", "Minister", "--json"]).stdout)
    for query in ['Minister"', "Minister*", "(Minister", "Minister)", "'Minister'", "^Minister", "Minister:"]:
        result = runner.invoke(main, ["--db", str(cli_store), "search", query, "--json"])
        assert result.exit_code == 0, (query, result.output)
        assert json.loads(result.stdout) == plain, query  # punctuation is not syntax: same hits
    for query in ["NEAR(Minister", "Minister OR", "Minister AND NOT x"]:  # operators are plain words
        result = runner.invoke(main, ["--db", str(cli_store), "search", query, "--json"])
        assert result.exit_code == 0 and json.loads(result.stdout) == [], query


def test_store_search_survives_nul_and_fts_syntax(cli_store: Path) -> None:
    """The CLI refuses NUL bytes in arguments; the store's search (also used by the API) copes with them."""
    from echolot.settings import Settings
    from echolot.store import open_store
    from echolot.store.sqlite import fts_phrase_query

    assert fts_phrase_query('a\x00b "c" NEAR(') == '"a" "b" "c" "NEAR("'
    with open_store(Settings(db=cli_store)) as store:
        for value in INJECTIONS:
            assert isinstance(store.search(value, limit=5), list)
        assert store.search("Minister\x00", limit=5) == store.search("Minister", limit=5) != []
    result = CliRunner().invoke(main, ["--db", str(cli_store), "search", "a\x00b"])
    assert result.exit_code == 2 and "NUL byte" in result.output
