"""The geomap command line: a thin click layer over the library.

Each command is options, one library call (geomap.job, the gazetteer, the
geocoder), messages and an exit status. Why some 470 lines: every command
carries its help text and an example (the sqlite-utils way); the file is long
but flat.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import job
from ._io import check_output_file, check_output_folder
from ._progress import ProgressReport, plural
from .errors import GazetteerError, GeomapError, NoMatchError
from .gazetteer import Gazetteer, open_gazetteer
from .ingest import FORMATS
from .parallel import available_cores
from .settings import ARTICLE_LAYERS, progress_interval
from .writers import writer_for

__all__ = ["cli", "main"]


#: Exit status of a job that wrote its outputs but skipped input records it could not use.
EXIT_SKIPPED = 3


class _GeomapGroup(click.Group):
    """Turns every GeomapError, and any OSError, into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GeomapError as err:
            raise click.ClickException(str(err)) from err
        except OSError as err:  # disk full, a file that vanished, permissions: the path and the reason
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(f"{where}{err.strerror or err}") from err


class _BuildProgress:
    """A progress bar on stderr that appears only if the gazetteer gets built."""

    def __init__(self, *, silent: bool) -> None:
        self.silent = silent
        self.bar: Any = None

    def __call__(self, layer: str) -> None:
        if self.silent:
            return
        if self.bar is None:
            from .gazetteer.imports import imported_sources
            from .gazetteer.layers import LAYERS  # the build's code loads only when a build runs

            steps = len(LAYERS) + len(imported_sources())
            self.bar = click.progressbar(length=steps, label="Building gazetteer", file=sys.stderr)
            self.bar.__enter__()
        self.bar.label = f"Building gazetteer: {layer:<10}"
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _open(ctx: click.Context, *, rebuild: bool = False, verify: bool = False) -> Gazetteer:
    progress = _BuildProgress(silent=ctx.obj["silent"])
    try:
        return open_gazetteer(rebuild=rebuild, verify=verify, progress=progress)
    finally:
        progress.close()


def _input_options(*, required: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """INPUT..., --format, --strict and --jobs, shared by the commands that read articles."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        function = click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            expose_value=False,
            callback=_remember_jobs,
            help=f"Worker processes (default: all {available_cores()} cores); the output is the same whatever N.",
        )(function)
        function = click.option(
            "--strict",
            is_flag=True,
            help="Stop at the first input record that cannot be used, instead of skipping and listing it.",
        )(function)
        function = click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="auto",
            show_default=True,
            help="Input format; 'auto' goes by suffix, then by content.",
        )(function)
        metavar = "INPUT..." if required else "[INPUT...]"
        return click.argument("inputs", nargs=-1, required=required, metavar=metavar)(function)

    return decorate


def _remember_jobs(ctx: click.Context, _param: click.Parameter, value: int | None) -> None:
    ctx.ensure_object(dict)["jobs"] = value or available_cores()


def _output_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-o",
        "--output",
        type=click.Path(),  # a file; a folder with extract --dask (checked by the command)
        help="Write here (.jsonl, .csv or .geojson) instead of standard output; with --dask, the parts' folder.",
    )(function)


def _parser(ctx: click.Context) -> dict[str, Any]:
    """How a geoparsing job gets its gazetteer: with the corrections file (--config, or ./geomap.toml), a
    Geoparser that applies them; else the gazetteer."""
    from .corrections import load_corrections
    from .pipeline import Geoparser

    gaz = _open(ctx)
    corrections = load_corrections(ctx.obj["config"], gaz)
    if corrections is None:
        return {"gazetteer": gaz}
    if not ctx.obj["silent"]:
        click.echo(f"geomap: corrections from {corrections.path}", err=True)
    return {"geoparser": Geoparser(gaz, corrections=corrections)}


def _job_options(ctx: click.Context, strict: bool) -> dict[str, Any]:
    """What every article job takes from the command line: the bad-record policy and a progress display."""
    return {"on_bad_record": "raise" if strict else "skip", "progress": ctx.obj["progress"], "jobs": ctx.obj["jobs"]}


def _finish(ctx: click.Context, report: job.JobReport) -> None:
    """Say on stderr what was done, what stayed unresolved and which input records were skipped;
    exit with EXIT_SKIPPED when any were."""
    ctx.obj["progress"].close()
    if not ctx.obj["silent"]:
        unresolved = sorted(repr(text) for text in report.unresolved)
        count = sum(report.unresolved.values())
        listed = f": {', '.join(unresolved[:10])}{' ...' if len(unresolved) > 10 else ''}" if unresolved else ""
        click.echo(
            f"geomap: {plural(report.mentions, 'mention')} in {plural(report.articles, 'article')}; "
            f"{count} unresolved{listed}",
            err=True,
        )
    if report.skipped:  # said even with --quiet: input the user gave was left out
        where = ", ".join(w for w, _ in report.skipped[:10]) + (", ..." if len(report.skipped) > 10 else "")
        skipped = plural(len(report.skipped), "input record")
        click.echo(f"geomap: skipped {skipped} that cannot be used ({where}); --strict stops at the first", err=True)
        ctx.exit(EXIT_SKIPPED)


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class _NoProgress:
    def __call__(self, progress: job.Progress) -> None:
        pass

    def close(self) -> None:
        pass


@click.group(cls=_GeomapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-q", "--quiet", "-s", "--silent", "silent", is_flag=True, help="No progress, counts or log messages on stderr."
)
@click.option("-v", "--verbose", is_flag=True, help="Log what geomap does on stderr.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="Corrections: forms pinned to places, forms banned (default: ./geomap.toml if there is one).",
)
@click.version_option(package_name="geomap")
@click.pass_context
def cli(ctx: click.Context, silent: bool, verbose: bool, config: str | None) -> None:
    """Map the places that news articles report, offline.

    Exit status: 0 done; 1 an error (a one-line message on stderr; no output
    file is left half-written); 2 a usage error; 3 done, but input records
    that cannot be used were skipped (listed on stderr; --strict stops at the
    first instead).

    Example:

        geomap geocode "Kursk region"
    """
    if silent and verbose:
        raise click.UsageError("--quiet and --verbose contradict each other")
    level = logging.ERROR if silent else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="geomap: %(message)s", stream=sys.stderr)
    progress = _NoProgress() if silent else ProgressReport(sys.stderr, interval=progress_interval())
    ctx.obj = {"silent": silent, "progress": progress, "config": config}


@cli.command()
@click.argument("name")
@click.option("--all", "show_all", is_flag=True, help="Every candidate, best first, not only the best.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many with --all."
)
@click.option("--json", "as_json", is_flag=True, help="JSON records instead of text.")
@click.pass_context
def geocode(ctx: click.Context, name: str, show_all: bool, limit: int, as_json: bool) -> None:
    """Find the place NAME refers to, offline.

    Exits with status 1 when nothing matches.

    Example:

        geomap geocode Sudzha
        geomap geocode Moscow --all --json
    """
    from .geocoder import OfflineGazetteer  # geopy loads for this command only

    geocoder = OfflineGazetteer(_open(ctx))
    found = geocoder.geocode(name, exactly_one=False, limit=limit if show_all else 1)
    if not found:
        msg = f"no match for {name!r} in the gazetteer"
        raise NoMatchError(msg)
    if as_json:
        _emit_json([location.raw | {"address": location.address} for location in found])
        return
    for location in found:
        raw = location.raw
        click.echo(f"{location.address}\t{raw['kind']}\t{raw['lat']:.5f},{raw['lon']:.5f}\t{raw['place_id']}")


@cli.command(context_settings={"ignore_unknown_options": True})  # so "-30" is a longitude
@click.argument("lat", type=click.FloatRange(-90, 90))
@click.argument("lon", type=click.FloatRange(-180, 180))
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.pass_context
def reverse(ctx: click.Context, lat: float, lon: float, as_json: bool) -> None:
    """Name what lies at LAT LON: nearest place, admin-1 unit, country.

    Exits with status 1 when the point is in no country and near no place.

    Example:

        geomap reverse 51.19 35.27
        geomap reverse 40.71 -74.01 --json
    """
    result = _open(ctx).reverse(lat, lon)
    if result.place is None and result.admin1 is None and result.country is None:
        msg = f"nothing in the gazetteer at ({lat}, {lon})"
        raise NoMatchError(msg)
    if as_json:
        _emit_json(
            {
                "place": result.place.as_dict() if result.place else None,
                "distance_km": result.distance_km,
                "admin1": result.admin1.as_dict() if result.admin1 else None,
                "country": result.country.as_dict() if result.country else None,
            }
        )
        return
    for label, place in (("place", result.place), ("admin1", result.admin1), ("country", result.country)):
        if place is not None:
            extra = f"\t{result.distance_km} km" if label == "place" else ""
            click.echo(f"{label}\t{place.name}\t{place.place_id}{extra}")


@cli.command()
@_input_options()
@_output_option
@click.option(
    "--dask",
    "scheduler",
    metavar="SCHEDULER",
    help="Run on Dask, a partition per input file, writing part files into the folder -o names: a scheduler "
    "address (tcp://host:8786) or a local scheduler (processes, threads, synchronous).",
)
@click.option(
    "--part-format",
    type=click.Choice(["jsonl", "csv", "geojson"]),
    default="jsonl",
    show_default=True,
    help="With --dask: the format of the part files.",
)
@click.option(
    "--ship-gazetteer", is_flag=True, help="With --dask: send the gazetteer file to every worker (Dask's UploadFile)."
)
@click.pass_context
def extract(
    ctx: click.Context,
    inputs: tuple[str, ...],
    fmt: str,
    strict: bool,
    output: str | None,
    scheduler: str | None,
    part_format: str,
    ship_gazetteer: bool,
) -> None:
    """Find and resolve the place mentions in articles.

    INPUT is a file (a page dump, .txt, .jsonl or .csv), a folder, or - for
    standard input. One mention record per line (JSONL), or CSV with -o
    FILE.csv; records are written as each article is done. Mentions that
    cannot be resolved are written with a null place and counted on stderr.

    With --dask, each input file is a task on the Dask scheduler given; -o is
    a folder that gets part-00000.jsonl, part-00001.jsonl, ... (one per input
    file, in input order) and must be reachable from the workers. The workers
    open the gazetteer file at the same path as here, or a copy sent to them
    with --ship-gazetteer.

    Example:

        geomap extract seeds/ -o mentions.jsonl
        cat articles.jsonl | geomap extract - -o mentions.csv
        geomap extract news/ --dask tcp://scheduler:8786 --ship-gazetteer -o parts/
    """
    if scheduler is not None:
        _extract_on_dask(ctx, inputs, fmt, strict, output, scheduler, f".{part_format}", ship_gazetteer)
        return
    if ship_gazetteer:
        raise click.UsageError("--ship-gazetteer goes with --dask")
    _check_mentions_output(output)
    report = job.extract(inputs, output, fmt=fmt, **_parser(ctx), **_job_options(ctx, strict))
    _finish(ctx, report)


def _extract_on_dask(
    ctx: click.Context,
    inputs: tuple[str, ...],
    fmt: str,
    strict: bool,
    output: str | None,
    scheduler: str,
    suffix: str,
    ship: bool,
) -> None:
    from .cluster import extract_partitioned

    if output is None:
        raise click.UsageError("--dask writes part files: give the folder for them with -o")
    _open(ctx).close()  # the gazetteer the workers open: built here first if need be
    options = {"on_bad_record": "raise" if strict else "skip", "fmt": fmt}
    report = extract_partitioned(inputs, output, scheduler=scheduler, suffix=suffix, ship_gazetteer=ship, **options)
    if not ctx.obj["silent"]:
        click.echo(f"geomap: wrote {plural(len(report.outputs), 'part file')} into {output}", err=True)
    _finish(ctx, report)


@cli.command()
@_input_options()
@click.option("--spans-field", required=True, help="The record field holding the spans: [{start, end}, ...].")
@_output_option
@click.pass_context
def resolve(
    ctx: click.Context, inputs: tuple[str, ...], fmt: str, strict: bool, spans_field: str, output: str | None
) -> None:
    """Resolve spans the input already marks, instead of recognising them.

    Use it with a gold corpus's toponyms or your own NER's output: each record
    carries its spans under --spans-field.

    Example:

        geomap resolve ../shared/eval/gwn.jsonl --spans-field toponyms -o resolved.jsonl
    """
    _check_mentions_output(output)
    options = _job_options(ctx, strict)
    report = job.extract(inputs, output, fmt=fmt, spans_field=spans_field, **_parser(ctx), **options)
    _finish(ctx, report)


def _check_mentions_output(output: str | None) -> None:
    """A bad -o fails before anything is read or loaded."""
    if output is not None:
        writer_for(output)
        check_output_file(output)


@cli.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--spans-field", help="Resolve these given spans instead of recognising (e.g. toponyms).")
@click.option("--gold-field", default="toponyms", show_default=True, help="The field holding the gold toponyms.")
@click.option("--predictions", "predictions_out", type=click.Path(dir_okay=False), help="Also save the predictions.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.pass_context
def evaluate(
    ctx: click.Context, gold: str, spans_field: str | None, gold_field: str, predictions_out: str | None, as_json: bool
) -> None:
    """Score geomap against a gold corpus: recognition P/R/F1, accuracy@161 km, AUC.

    GOLD is JSONL with id, text and the gold toponyms ({start, end, lat, lon,
    type}). Figures are also given per toponym type.

    Example:

        geomap evaluate ../shared/eval/gwn.jsonl
        geomap evaluate ../shared/eval/gwn.jsonl --spans-field toponyms --json
    """
    result = job.evaluate(
        gold, spans_field=spans_field, gold_field=gold_field, predictions=predictions_out, gazetteer=_open(ctx)
    )
    if as_json:
        _emit_json(result)
        return
    by_type = result.pop("by_type")
    causes, bands = result.pop("false_positives_by_cause"), result.pop("wrong_resolutions_by_km")
    typed = result.pop("types_found")
    for key, value in result.items():
        click.echo(f"{key:16} {value:.3f}" if isinstance(value, float) else f"{key:16} {value}")
    click.echo("\nper toponym type:  gold  recall  acc161  end_to_end161")
    for kind, figures in by_type.items():
        acc = figures.get("acc161")
        acc_text = "-" if acc is None else f"{acc:.3f}"
        click.echo(
            f"  {kind:22} {figures['gold']:5d}  {figures['recall']:.3f}  {acc_text:>6}  {figures['end_to_end161']:.3f}"
        )
    click.echo("\nfalse positives by cause:")
    for cause, count in causes.items():
        click.echo(f"  {cause:22} {count:5d}")
    click.echo("\nwrong resolutions (161 km or more off) by km:")
    for band, count in bands.items():
        click.echo(f"  {band:22} {count:5d}")
    given_types = next(iter(typed.values())).keys()
    click.echo("\ngold toponyms found, by the type their gold type stands for (rows) and geomap's (columns):")
    click.echo("  " + " " * 22 + "".join(f"{name:>12}" for name in given_types))
    for gold_type, counts in typed.items():
        click.echo(f"  {gold_type:22}" + "".join(f"{counts[name]:12d}" for name in given_types))


# How many articles an index gives a layer-tree branch each.
_ARTICLE_LAYERS = click.option(
    "--article-layers",
    type=click.IntRange(min=0),
    default=ARTICLE_LAYERS,
    show_default=True,
    help="Past this many articles the index shows the places, choropleths and heat map across them and "
    "finds articles by search, without a layer-tree branch per article.",
)


@cli.command()
@_input_options(required=False)
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="maps",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the maps and data.",
)
@click.option("--offline", is_flag=True, help="No online tile layer: the pages request nothing from the network.")
@_ARTICLE_LAYERS
@click.pass_context
def run(
    ctx: click.Context,
    inputs: tuple[str, ...],
    fmt: str,
    strict: bool,
    out_dir: str,
    offline: bool,
    article_layers: int,
) -> None:
    """The main job: articles in, maps and data out.

    With no INPUT it maps ./seeds into ./maps. Writes index.html (all
    articles: one layer-tree branch each up to --article-layers of them, and
    the places, choropleths and heat map across them), article.html (any
    article's map, from its data in articles/), mentions.jsonl and
    mentions.geojson. They are written aside and
    swapped in at the end: a failed or interrupted run leaves the folder's
    previous maps as they were. Other files in the folder are left alone.

    Example:

        geomap run
        geomap run news/ -o out/ --offline
    """
    if not inputs:
        if not Path("seeds").is_dir():
            raise click.UsageError("no INPUT given and there is no seeds/ folder here")
        inputs = ("seeds",)
    check_output_folder(out_dir)
    report = job.run(
        inputs,
        out_dir,
        fmt=fmt,
        offline=offline,
        **_parser(ctx),
        article_layers=article_layers,
        **_job_options(ctx, strict),
    )
    if not ctx.obj["silent"]:
        pages = plural(report.articles, "article map")
        click.echo(f"geomap: wrote {Path(out_dir) / 'index.html'}, {pages}, mentions.jsonl and .geojson", err=True)
    click.echo(str(Path(out_dir) / "index.html"))
    _finish(ctx, report)


@cli.command("map")
@click.argument("mentions_file", metavar="MENTIONS", type=click.Path(dir_okay=False))
@click.option("--articles", "article_inputs", multiple=True, help="Articles (file or folder) for titles and dates.")
@click.option("-o", "--output", "out_dir", default="maps", show_default=True, type=click.Path(file_okay=False))
@click.option("--offline", is_flag=True, help="No online tile layer.")
@_ARTICLE_LAYERS
@click.pass_context
def map_command(
    ctx: click.Context,
    mentions_file: str,
    article_inputs: tuple[str, ...],
    out_dir: str,
    offline: bool,
    article_layers: int,
) -> None:
    """Draw the maps from saved mention records (JSONL or CSV).

    Example:

        geomap map maps/mentions.jsonl --articles seeds/ -o maps/
    """
    pages = job.draw(
        mentions_file,
        out_dir,
        articles=article_inputs,
        offline=offline,
        gazetteer=_open(ctx),
        article_layers=article_layers,
    )
    click.echo(str(pages[0]))


@cli.command("export")
@click.argument("mentions_file", metavar="MENTIONS", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="FILE.geojson (or .json) or FILE.csv"
)
@click.option(
    "--per",
    type=click.Choice(["mention", "place"]),
    default="mention",
    show_default=True,
    help="A feature per mention, or per place.",
)
@click.option("--articles", "article_inputs", multiple=True, help="Articles for titles, dates and URLs.")
@click.pass_context
def export_command(
    ctx: click.Context, mentions_file: str, output: str, per: str, article_inputs: tuple[str, ...]
) -> None:
    """Export mention records as GeoJSON (RFC 7946) or CSV joined to their articles.

    Example:

        geomap export maps/mentions.jsonl -o places.geojson --per place
    """
    job.export(mentions_file, output, per=per, articles=article_inputs, gazetteer=_open(ctx))
    click.echo(output)


@cli.group()
def gazetteer() -> None:
    """Build, describe or extend the offline gazetteer (GeoNames extracts, your own places).

    Example:

        geomap gazetteer info
    """


@gazetteer.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when an up-to-date cache exists.")
@click.pass_context
def gazetteer_build(ctx: click.Context, force: bool) -> None:
    """Build the SQLite gazetteer into the cache folder.

    It is also built on first use; this command does it up front, and
    rebuilds a cache whose bytes changed since its build (a damaged file). The
    folder is $GEOMAP_CACHE_DIR or the platform's user cache.

    Example:

        geomap gazetteer build --force
    """
    gaz = _open(ctx, rebuild=force, verify=True)
    click.echo(f"{gaz.path}\t{gaz.meta['places']} places\t{gaz.meta['names']} names")


@gazetteer.command("info")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.pass_context
def gazetteer_info(ctx: click.Context, as_json: bool) -> None:
    """Show where the gazetteer is, what it holds, and that its file is as built.

    Example:

        geomap gazetteer info --json
    """
    gaz = _open(ctx)
    if not gaz.verify():
        msg = (
            f"the gazetteer {str(gaz.path)!r} is damaged (its bytes changed since the build); "
            "rebuild it: geomap gazetteer build --force"
        )
        raise GazetteerError(msg)
    from .gazetteer.imports import imported_sources

    imports = imported_sources()
    info: dict[str, Any] = {**gaz.info(), "integrity": "ok (SHA-256 as built)"}
    if as_json:
        _emit_json({**info, "imports": imports})
        return
    for key, value in info.items():
        click.echo(f"{key}\t{value}")
    for source in imports:
        files = ", ".join(str(f["name"]) for f in source["files"])  # type: ignore[attr-defined]
        click.echo(f"import\t{source['source']}: {source['kept']:,} places from {files} ({source['imported_at']})")


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", "source", help="The source's name (default: the first file's, UA for UA.zip).")
@click.option(
    "--feature-classes",
    default="P",
    show_default=True,
    help="GeoNames feature classes to keep, comma-separated: P places, A administrative areas, H water, "
    "S spots, T terrain, L areas, V vegetation, R roads, U undersea.",
)
@click.option(
    "--min-population", type=click.IntRange(min=0), default=0, show_default=True, help="For populated places."
)
@click.option(
    "--alternate-names",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="GeoNames alternate names file (alternateNamesV2.txt or a country's zip): the kept places' names "
    "in English, Russian, Ukrainian or transliterated.",
)
@click.pass_context
def gazetteer_import(
    ctx: click.Context,
    files: tuple[str, ...],
    source: str | None,
    feature_classes: str,
    min_population: int,
    alternate_names: tuple[str, ...],
) -> None:
    """Import GeoNames dump files (UA.zip, UA.txt, allCountries.zip) as a layer of the gazetteer.

    The villages cities500 lacks: the rows of the chosen feature classes are
    kept with their alternate names (filtered as the bundled layers' are)
    in the data folder ($GEOMAP_DATA_DIR or the platform's), and the
    gazetteer is rebuilt with them. Importing a source again replaces it.

    Example:

        geomap gazetteer import UA.zip RU.zip --feature-classes P,A

        geomap gazetteer import UA.zip --alternate-names alternatenames/UA.zip
    """
    from .gazetteer.imports import import_geonames

    def progress(rows: int) -> None:
        if not ctx.obj["silent"]:
            click.echo(f"geomap: importing: {rows:,} rows read", err=True)

    report = import_geonames(
        files,
        source=source,
        feature_classes=feature_classes.split(","),
        min_population=min_population,
        progress=progress,
        alternate_names=alternate_names,
    )
    if not ctx.obj["silent"]:
        click.echo(
            f"geomap: {report.source}: kept {report.kept:,} of {report.rows:,} rows "
            f"({report.aliases:,} alternate names) in {report.seconds:.1f} s; rebuilding the gazetteer",
            err=True,
        )
    gaz = _open(ctx)
    click.echo(f"{report.source}\t{report.kept} places\t{gaz.path}")


@gazetteer.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--name", "source", help="The source's name (default: the file's, mine for mine.csv).")
@click.pass_context
def gazetteer_add(ctx: click.Context, file: str, source: str | None) -> None:
    """Add your own places (a CSV) to the gazetteer: they outrank the bundled places of the same name.

    Columns: name, lat, lon; optionally kind (populated_place...), country
    (UA), admin1 (UA.09 or 09), aliases (|-separated), id, population.
    Adding the same file (or name) again replaces its places.

    Example:

        geomap gazetteer add front-villages.csv
    """
    from .gazetteer.imports import add_user_places

    report = add_user_places(file, source=source)
    if not ctx.obj["silent"]:
        click.echo(f"geomap: {report.source}: {report.kept:,} places; rebuilding the gazetteer", err=True)
    gaz = _open(ctx)
    click.echo(f"{report.source}\t{report.kept} places\t{gaz.path}")


@gazetteer.command("remove")
@click.argument("source")
@click.pass_context
def gazetteer_remove(ctx: click.Context, source: str) -> None:
    """Take an imported source out of the gazetteer (and rebuild it without).

    Example:

        geomap gazetteer remove UA
    """
    from .gazetteer.imports import remove_source

    remove_source(source)
    gaz = _open(ctx)
    click.echo(f"removed {source}\t{gaz.path}")


def main() -> None:
    # a polite kill (SIGTERM) unwinds like Ctrl-C: staged outputs are removed, earlier ones stay
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        cli(prog_name="geomap")
    except BrokenPipeError:  # "geomap extract ... | head": the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
