"""The ``aseankg`` command: a thin shell over the library.

Every command takes ``--store``: a folder for the embedded store (default ``$ASEANKG_STORE`` or
``./aseankg-store``) or the query URL of a SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import settings
from .batches import BATCH_SIZE
from .cli_options import open_or_exit as _open
from .cli_options import store_option

#: ``aseankg build``'s exit status when some files were quarantined (the rest went in): 1 is an error
#: that stopped the build, 2 a wrong invocation.
EXIT_QUARANTINED = 3

def _open_reader(store: str | None):
    """The store for a command that only reads: read-only, so that it runs beside a build or a server;
    a folder that holds no store is an error ("no store at PATH"), never a new empty store."""
    where = settings.store_location(store)
    if where.startswith(("http://", "https://")):
        return _open(store)
    return _open(store, read_only=True, create=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aseankg")
def main() -> None:
    """Build, query and serve the ASEAN knowledge graph."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--quarantine", type=click.Path(), default=None,
              help="Folder for reports on articles left out (default: <store>/quarantine).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that extract and check articles and rank consolidation's claims; the store "
                   "is written in input order, the same bytes whatever the number. Default: the cores "
                   "this process may use (two jobs on 2 cores built 1,000 articles at 1.86x the rate of one "
                   "job held to one core).")
@click.option("--batch", type=click.IntRange(min=1), default=BATCH_SIZE, show_default=True,
              help="New articles written to an embedded store at once, in one bulk write: a smaller batch "
                   "shows them to readers sooner, a larger one writes faster.")
def build(paths: tuple[str, ...], store: str | None, quarantine: str | None, jobs: int | None,
          batch: int) -> None:
    """Read the articles under PATHS and add them to the store, one checked graph each. A path may
    be an article's http(s) address: the page is fetched (politely: see `aseankg follow`) and read.

    Exit status: 0 when every file went in (or was already there), 3 when some were quarantined
    (the summary names them), 1 when the build stopped."""
    from .ingest import build_articles
    from .reading import FORMATS, ArticleError, article_files
    from .store import StoreError

    urls = [p for p in paths if p.startswith(("http://", "https://"))]
    paths = tuple(p for p in paths if p not in urls)
    for p in paths:
        if not Path(p).exists():
            raise click.BadParameter(f"Path {p!r} does not exist.", param_hint="'PATHS...'")
    try:
        files = article_files(paths)  # a FIFO or a device named here is refused before the store opens
    except ArticleError as exc:
        raise click.ClickException(str(exc)) from exc
    if urls:
        _build_addresses(urls, store, quarantine, files, paths)
        return
    if not files:  # before opening the store: nothing to build is not a reason to make one
        raise click.ClickException(f"no article files in {', '.join(paths)} (looked for "
                                   f"{', '.join(sorted(FORMATS))} files)")
    kg = _open(store)
    if quarantine is None and not kg.location.startswith(("http://", "https://")):
        quarantine = str(Path(kg.location) / "quarantine")
    stop = _StopOnInterrupt()
    try:
        with stop, click.progressbar(length=len(files), label="Building", file=sys.stderr,
                                     show_pos=True) as bar:
            seen: set[str] = set()

            def step(path: str) -> None:
                if path not in seen:
                    seen.add(path)
                    bar.update(1)

            # the folders, not the files found in them: a file's path from its folder is its key
            if jobs is None:
                from .buildjobs import available_cores

                jobs = available_cores()
            report = build_articles(paths, kg, progress=step, quarantine_dir=quarantine, stop=stop.requested,
                                    jobs=jobs, batch=batch)
        kg.close()
    except (StoreError, OSError) as exc:
        _close_after(kg)
        raise click.ClickException(f"{exc}\nThe build stopped; the articles stored before this are whole and "
                                   "kept. Fix the cause and run the same command again to add the rest.") from exc
    click.echo(report.summary())
    if report.interrupted:
        sys.exit(130)  # the shell's code for "ended by Ctrl-C"
    if report.quarantined:  # so scripts and cron jobs can tell a partial build from a whole one
        sys.exit(EXIT_QUARANTINED)


class _StopOnInterrupt:
    """Within ``with``: the first Ctrl-C (or SIGTERM) asks the build to stop after the article it is
    writing; a second one stops at once (the store still holds only whole articles)."""

    def __init__(self) -> None:
        self._asked = False

    def requested(self) -> bool:
        return self._asked

    def _ask(self, signum, frame) -> None:
        import signal

        if self._asked:
            raise KeyboardInterrupt
        self._asked = True
        signal.signal(signal.SIGINT, signal.default_int_handler)
        click.echo("\nStopping after the article being written (Ctrl-C again to stop at once)...", err=True)

    def __enter__(self) -> _StopOnInterrupt:
        import signal

        self._old = {sig: signal.signal(sig, self._ask) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc) -> None:
        import signal

        for sig, handler in self._old.items():
            signal.signal(sig, handler)


def _build_addresses(urls: list[str], store: str | None, quarantine: str | None, files: list,
                     paths: tuple[str, ...]) -> None:
    """`aseankg build` given addresses (and maybe files too): fetch, read and build them."""
    from .fetching import FetchPolicy
    from .follow import build_addresses
    from .ingest import build_articles

    kg = _open(store)
    if quarantine is None and not kg.location.startswith(("http://", "https://")):
        quarantine = str(Path(kg.location) / "quarantine")
    try:
        report = build_articles(paths, kg, quarantine_dir=quarantine) if files else None
        report = build_addresses(urls, kg, policy=FetchPolicy(**_policy_from_env()), report=report,
                                 quarantine_dir=quarantine)
    finally:
        kg.close()
    click.echo(report.summary())
    if report.quarantined:
        sys.exit(EXIT_QUARANTINED)


def _policy_from_env() -> dict:
    """Fetch settings for `aseankg build URL`: $ASEANKG_CONTACT and $ASEANKG_ALLOW_NETWORKS
    (comma-separated networks that may be fetched although not public, e.g. 127.0.0.1/32)."""
    import os

    found: dict = {}
    if os.environ.get("ASEANKG_CONTACT"):
        found["contact"] = os.environ["ASEANKG_CONTACT"]
    if os.environ.get("ASEANKG_ALLOW_NETWORKS"):
        found["allow_networks"] = tuple(n.strip() for n in os.environ["ASEANKG_ALLOW_NETWORKS"].split(",") if n.strip())
    return found


@main.command()
@click.argument("sources", type=click.Path(exists=True, dir_okay=False))
@store_option
@click.option("--every", default=None, metavar="INTERVAL",
              help="Run again after each INTERVAL (30m, 2h, 90s) until stopped; default: run once.")
@click.option("--quarantine", type=click.Path(), default=None,
              help="Folder for reports on items left out (default: <store>/quarantine).")
def follow(sources: str, store: str | None, every: str | None, quarantine: str | None) -> None:
    """Follow the feeds, sitemaps and index pages listed in SOURCES (a TOML file; see the README and
    data/sources.example.toml): fetch their new items about ASEAN, build them, print a summary per
    source. Exit status 3 when something was quarantined in the (last) run."""
    import time

    from .follow import SourcesError, load_sources, parse_interval
    from .follow import follow as run

    try:
        listed = load_sources(sources)
        pause = parse_interval(every) if every else None
    except (SourcesError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    while True:
        kg = _open(store)
        where = quarantine or (None if kg.location.startswith(("http://", "https://"))
                               else str(Path(kg.location) / "quarantine"))
        try:
            summaries, report = run(listed, kg, quarantine_dir=where)
        finally:
            kg.close()
        for s in summaries:
            click.echo(s.line())
        click.echo(report.summary())
        if pause is None:
            break
        click.echo(f"next run in {every} (Ctrl-C stops)", err=True)
        time.sleep(pause)
    if report.quarantined:
        sys.exit(EXIT_QUARANTINED)


def _close_after(kg) -> None:
    """Close a store after a failure without hiding the failure (closing may fail the same way)."""
    try:
        kg.close()
    except Exception:  # the first error is the one to report
        pass


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["nquads", "trig"]), default="nquads", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
def dump(store: str | None, fmt: str, output: str) -> None:
    """Write the whole dataset (every named graph) to a file."""
    from .dumps import dump_to_path

    remote = str(store or "").startswith(("http://", "https://"))
    kg = _open(store) if remote else _open(store, read_only=True, create=False)  # a dump never writes
    try:
        count = dump_to_path(kg, output, fmt)
    except OSError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        kg.close()
    click.echo(f"wrote {count} quads to {output}")


@main.command()
@click.argument("query")
@store_option
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter, e.g. --param country=VNM or --param place=id:place/kuala-lumpur "
                   "(repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt"]),
              default="table", show_default=True,
              help="SELECT/ASK: table, csv, tsv, json, xml. CONSTRUCT/DESCRIBE: table (Turtle), turtle, nt, "
                   "json (JSON-LD), xml (RDF/XML), csv/tsv (subject, predicate, object).")
@click.option("--no-inference", is_flag=True, help="Leave out the triples the reasoner derived.")
@click.option("--timeout", default=60.0, show_default=True, type=float,
              help="Seconds the query may run (0: no limit).")
def query(query: str, store: str | None, params: tuple[str, ...], fmt: str, no_inference: bool,
          timeout: float) -> None:
    """Run QUERY and print its results: a saved query's name (see `aseankg queries`), a .rq file,
    or SPARQL text, which may use the query page's prefixes (akg:, id:, schema:, org:, skos:, rdfs:,
    rdf:, prov:, owl:, xsd:) undeclared. Parameters are bound as values, never pasted into the query."""
    from .queries import QueryHeaderError, QueryNotFound, QueryParam, QueryParamError, resolve_query, with_prefixes
    from .safety import QueryRefused, QuerySyntaxError
    from .store import StoreError

    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[name.strip()] = value
    try:
        saved = resolve_query(query)
        if saved is None:  # SPARQL text: parameters are IRIs (<…> or id:…) or plain strings
            text = with_prefixes(query)
            bindings = {name: _inline_param(QueryParam, name, value) for name, value in values.items()}
            inference = not no_inference
        else:
            text = saved.text
            inference = saved.inference and not no_inference
            bindings = saved.bindings(values)  # checked before the store opens; resolved again below
    except QueryParamError:
        if saved is None:
            raise
        bindings = None  # a slug or a label, perhaps: the store says which entity it names
    except (QueryHeaderError, QueryNotFound, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    kg = _open_reader(store)
    try:
        if saved is not None and bindings is None:
            bindings = saved.bindings(values, store=kg)
        result = kg.query(text, bindings=bindings or None, inference=inference, timeout=timeout or None)
    except (QueryRefused, QuerySyntaxError, StoreError, ValueError, QueryParamError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        kg.close()
    if fmt == "table":
        click.echo(format_table(result))
    else:
        try:
            body = result.serialize(fmt)
        except ValueError as exc:  # an RDF format for rows, say: one line on what the query gives
            raise click.ClickException(str(exc)) from exc
        click.echo(body.decode("utf-8"), nl=False)


def _inline_param(param_class, name: str, value: str):
    """A ``--param`` value for SPARQL text: an IRI when written ``<…>`` or ``prefix:…``, else a string."""
    from .queries import QUERY_PREFIXES, QueryParamError

    kind = "iri" if value.startswith("<") or value.split(":", 1)[0] in QUERY_PREFIXES else \
        "http://www.w3.org/2001/XMLSchema#string"
    try:
        return param_class(name, kind, value).term(value)
    except QueryParamError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
def queries() -> None:
    """List the saved queries (queries/*.rq): name, title and parameters with their defaults."""
    from .queries import QueryHeaderError, saved_queries

    try:
        found = saved_queries()
    except QueryHeaderError as exc:
        raise click.ClickException(str(exc)) from exc
    width = max((len(q.name) for q in found), default=4)
    for q in found:
        click.echo(f"{q.name.ljust(width)}  {q.title}")
        for p in q.params:
            click.echo(f"{'':{width}}    --param {p.name}={p.default}  ({p.type_name}"
                       f"{'; ' + p.description if p.description else ''})")


def format_table(result) -> str:
    """A query result as an aligned text table (the CLI's default output); IRIs are printed so that
    they can be pasted back into a query (``meeting:amm-58`` or ``<…>``)."""
    from rdflib import URIRef

    if result.kind == "ask":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        return result.graph.serialize(format="turtle")
    rows = result.dicts()
    cols = result.variables
    cells = [[_cell(term if isinstance(term, URIRef) else r.get(c)) for c, term in zip(cols, raw, strict=True)]
             for r, raw in zip(rows, result.rows, strict=True)]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(value) -> str:
    if value is None:
        return ""
    from rdflib import URIRef

    from .results import compact

    if isinstance(value, URIRef):  # printed so that it can be pasted back into a query
        return compact(str(value))
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@main.command()
@store_option
@click.option("--engine", type=click.Choice(["rules", "owlrl"]), default="rules", show_default=True,
              help="rules: the ontology's rules as SPARQL, fast; owlrl: the full OWL 2 RL closure, slow.")
def reason(store: str | None, engine: str) -> None:
    """Compute the OWL RL closure into its own named graph."""
    from .reasoning import infer

    kg = _open(store, create=False)
    try:
        report = infer(kg, engine=engine)
    finally:
        kg.close()
    click.echo(str(report))


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--time-limit", default=10.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-rows", default=10_000, show_default=True, help="Rows (or triples) a result may have.")
@click.option("--max-body", default=1_000_000, show_default=True, help="Bytes a request body may have.")
@click.option("--max-query-length", default=100_000, show_default=True, help="Characters a query may have.")
@click.option("--max-answer", default=64, show_default=True, help="MiB one serialised answer may have.")
@click.option("--workers", type=int, default=None,
              help="Query worker processes (embedded store)  [default: the cores available + 1, so that "
                   "busy clients can use every core while one worker stays free for light ones]")
@click.option("--worker-memory", default=2048, show_default=True,
              help="MiB of address space a query worker may have (0: no cap); a job that needs more gets 503.")
@click.option("--threads", default=32, show_default=True, help="HTTP threads (a request holds one while it runs).")
@click.option("--max-connections", default=1_000, show_default=True,
              help="Open connections kept; past it the idle ones, then the slowest senders, are closed.")
@click.option("--idle-timeout", default=30.0, show_default=True,
              help="Seconds a connection may stay open without a request.")
@click.option("--request-timeout", default=15.0, show_default=True,
              help="Seconds a client has to send a whole request once it starts one (slowloris).")
@click.option("--send-timeout", default=15.0, show_default=True,
              help="Seconds an answer may wait for a client that reads none of it; then the connection, "
                   "its buffered answer and its thread are let go.")
@click.option("--client-concurrency", default=2, show_default=True,
              help="Queries and page loads one client (remote address) may run at once; more get 429.")
@click.option("--client-budget", default=30.0, show_default=True,
              help="Seconds of worker time one client may use per minute; past it 429 with Retry-After.")
@click.option("--queue-wait", default=5.0, show_default=True,
              help="Seconds a request may wait for a free worker; past it 503 with Retry-After.")
@click.option("--quick-workers", default=1, show_default=True,
              help="Worker processes kept for light clients (under 10 s used in the last minute).")
@click.option("--quick-limit", default=1.0, show_default=True,
              help="Seconds a job may run in the quick lane before it moves to a general worker (and its "
                   "client is kept out of the quick lane for 10 minutes).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates (needs --token).")
@click.option("--token", envvar="ASEANKG_TOKEN", default=None,
              help="Bearer token that updates must carry (default: $ASEANKG_TOKEN).")
@click.option("--no-build", is_flag=True, help="Do not build the bundled articles into an empty store.")
def serve(store: str | None, host: str, port: int, time_limit: float, max_rows: int, max_body: int,
          max_query_length: int, max_answer: int, workers: int | None, worker_memory: int, threads: int,
          max_connections: int, idle_timeout: float, request_timeout: float, send_timeout: float,
          client_concurrency: int,
          client_budget: float, queue_wait: float, quick_workers: int, quick_limit: float, allow_update: bool,
          token: str | None, no_build: bool) -> None:
    """Serve the graph over HTTP (SPARQL at /sparql, with a query page for browsers). An empty store
    is first built from the bundled articles in data/articles. Read-only unless --allow-update.

    Read-only, the server opens the store read-only and follows what `aseankg build` adds meanwhile.
    Clients are told apart by remote address (behind a proxy, all are the proxy): each is held to
    --client-concurrency and --client-budget; light clients get the quick lane and go first."""
    import signal

    from .ingest import build_articles
    from .reading import article_files
    from .web import ClientLimits, close_app, create_app
    from .web.server import make_server

    if allow_update and not token:
        raise click.UsageError("--allow-update needs --token (or $ASEANKG_TOKEN): updates carry it as a "
                               "bearer token")
    if workers is None:
        from .buildjobs import available_cores

        workers = available_cores() + 1
    # Without --allow-update the server only reads: it opens the store read-only and follows what a
    # build in another process commits, so articles are added while it serves. Only a first run that
    # builds the bundled articles may make the store.
    from .storefolder import is_store_folder

    local = not settings.store_location(store).startswith(("http://", "https://"))
    if allow_update or (local and not no_build and not is_store_folder(settings.store_location(store))):
        kg = _open(store, create=not no_build)
    else:
        kg = _open_reader(store)
    if not no_build and not kg.article_records():
        if not allow_update and not kg.location.startswith(("http://", "https://")):
            kg.close()
            kg = _open(store)
        files = article_files([settings.ARTICLES_DIR])
        click.echo(f"The store is empty: building the {len(files)} bundled articles first.", err=True)
        with click.progressbar(length=len(files), label="Building", file=sys.stderr) as bar:
            report = build_articles([settings.ARTICLES_DIR], kg, progress=lambda _: bar.update(1))
        click.echo(report.summary(), err=True)
    if not allow_update and not kg.location.startswith(("http://", "https://")) and not kg.read_only:
        kg.close()
        kg = _open(store, read_only=True)
    app = create_app(kg, time_limit=time_limit, max_rows=max_rows, workers=workers, allow_update=allow_update,
                     token=token, max_body=max_body, max_query_length=max_query_length,
                     max_answer=max_answer << 20,
                     clients=ClientLimits(concurrency=client_concurrency, budget=client_budget,
                                          queue_wait=queue_wait, quick_workers=quick_workers,
                                          quick_limit=quick_limit),
                     worker_memory=worker_memory)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly: workers ended, store flushed
    mode = "read-write" if allow_update else "read-only"
    click.echo(f"Serving {kg.location} ({mode}) at http://{host}:{port}/ (pages; SPARQL at /sparql; Ctrl-C stops)",
               err=True)
    try:
        make_server(app, host=host, port=port, threads=threads, max_connections=max_connections,
                    idle_timeout=idle_timeout, request_timeout=request_timeout, send_timeout=send_timeout,
                    max_body=max_body).run()
    finally:
        close_app(app)
        kg.close()


@main.command()
@store_option
@click.option("--projection", type=click.Choice(["actors", "meetings", "bipartite", "full"]),
              default="actors", show_default=True, help="Which network to build (see aseankg.projections).")
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "json"]), default="gexf",
              show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--dynamic", is_flag=True, help="GEXF only: dated nodes and edges for Gephi's Timeline.")
@click.option("--since", default=None, help="Keep meetings from this date on (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default=None, help="Keep meetings up to this date.")
@click.option("--country", default=None, help="Keep meetings hosted in this country (ISO 3166 alpha-3).")
@click.option("--series", default=None, help="Keep meetings of this series (e.g. amm).")
def export(store: str | None, projection: str, fmt: str, output: str, dynamic: bool, since: str | None,
           until: str | None, country: str | None, series: str | None) -> None:
    """Write a network projection of the graph for Gephi (GEXF 1.3), Cytoscape/yEd (GraphML) or the web
    (node-link JSON)."""
    from .exports import generate, write_lines
    from .projections import project

    if dynamic and fmt != "gexf":
        raise click.UsageError("--dynamic applies to --format gexf only")
    kg = _open_reader(store)
    try:
        graph = project(kg, projection, since=since, until=until, country=country, series=series)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        kg.close()
    lines = list(generate(graph, fmt, dynamic=dynamic))
    with click.progressbar(length=len(lines), label="Writing", file=sys.stderr) as bar:
        try:
            write_lines(lines, output, progress=bar.update)
        except OSError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {output}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def extract(file: str, fmt: str) -> None:
    """Print what one article FILE yields, without a store: meetings, people, participations (with the
    rule that read each), chairmanships, partnerships, initiatives, documents, places and dates, each
    with the sentence that states it. A sources.csv beside the file is read, as `build` reads it."""
    import json

    import aseankg

    from .inspection import extraction_facts, format_facts, read_one_article
    from .reading import ArticleError

    try:
        articles = read_one_article(file)
    except ArticleError as exc:
        raise click.ClickException(str(exc)) from exc
    facts = [extraction_facts(aseankg.extract(a)) for a in articles]
    if fmt == "json":
        click.echo(json.dumps(facts[0] if len(facts) == 1 else facts, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(format_facts(f) for f in facts))


@main.command()
@click.option("--gold", "gold", required=True, multiple=True, type=click.Path(dir_okay=False),
              help="Annotations, as tests/gold/seeds.json (format: docs/gold-format.md); repeat for several.")
@click.argument("articles", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "rules"]), default="text", show_default=True,
              help="rules: precision per extraction rule, as CSV (data/rule_precision.csv).")
def evaluate(gold: tuple[str, ...], articles: tuple[str, ...], fmt: str) -> None:
    """Score the extraction of ARTICLES (files or folders) against the annotations in GOLD: recall and
    precision per kind of fact, and what was missed. Articles are matched to the gold by file name."""
    import json

    from .evaluation import GoldError
    from .evaluation import evaluate as run
    from .reading import ArticleError

    try:
        result = run(list(gold), articles)
    except (GoldError, ArticleError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not result.articles:
        raise click.ClickException(f"none of the articles under {', '.join(articles)} is annotated in "
                                   f"{', '.join(gold)} (articles are matched by file name)")
    if fmt == "rules":
        click.echo(result.rule_table(), nl=False)
        return
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else result.table())


from .review_cli import review  # noqa: E402  (a group of its own module, registered here)

main.add_command(review)
