"""The command line: parse, call the core, print. Errors are one line on stderr, exit 1."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from annotator import __version__
from annotator.cli_review import add_review_commands
from annotator.core import defaults
from annotator.core.formats import FormatError
from annotator.core.formats.references import UnknownReferenceError
from annotator.core.formats.registry import EXPORTS, output_target
from annotator.core.formats.selection import resolve_names
from annotator.core.importing import ImportOutcome, acting_id, import_paths
from annotator.core.store import Project, ProjectError

USER_ERRORS = (ProjectError, FormatError, UnknownReferenceError, OSError)


class Annotator(click.Group):
    """Turns expected failures into one line and exit 1; ``--verbose`` shows the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # the reader stopped early (`... -o - | head`): not an error
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (Python flushes it at exit)
            sys.exit(0)
        except USER_ERRORS as error:
            if ctx.params.get("verbose"):
                raise
            click.echo(f"Error: {describe(error)}", err=True)
            sys.exit(1)


def describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return " ".join(str(error).split())


annotator_option = click.option(
    "--annotator",
    "annotator_name",
    envvar=defaults.NAME_VARIABLE,
    help="Who is acting (default: $ANNOTATOR_NAME, else your user name).",
)
project_argument = click.argument("project", type=click.Path(path_type=Path, dir_okay=False))
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=Annotator)
@click.option("--verbose", is_flag=True, help="Show full tracebacks of errors.")
@click.version_option(__version__, prog_name="annotator")
def main(verbose: bool) -> None:
    """Annotator: code policy texts, record stances, link passages across documents.

    Run `annotator` alone to open the workbench on your default project, or
    `annotator PROJECT` to open a project file in it.
    """


@main.command()
@click.argument("project", required=False, type=click.Path(path_type=Path, dir_okay=False))
def info(project: Path | None) -> None:
    """Where PROJECT (default: your default project) is and what it holds.

    The default project is made from the sample corpus the first time it is needed.
    """
    if project is None:
        opened_project, created = defaults.open_default_project()
        if created:
            click.echo("Created your default project from the sample corpus.")
    else:
        opened_project = Project.open(project)
    with opened_project:
        click.echo(f"Project: {opened_project.path.resolve()}")
        print_stats(opened_project.stats())


@main.command()
@project_argument
@click.option(
    "--annotator",
    "annotator_name",
    help="Register this annotator now (default: whoever acts first).",
)
@click.option("--sample", is_flag=True, help="Fill it with the sample corpus and codebook.")
def init(project: Path, annotator_name: str | None, sample: bool) -> None:
    """Create a new, empty project file PROJECT."""
    created, outcome = defaults.create_project(project, annotator=annotator_name, sample=sample)
    with created:
        click.echo(f"Created {project}.")
        if outcome is not None:
            report_import(outcome)


@main.command("import")
@project_argument
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@annotator_option
def import_command(project: Path, paths: tuple[Path, ...], annotator_name: str | None) -> None:
    """Import documents (.txt .md .html .docx .pdf, folders) and annotation sets (.jsonl)
    into PROJECT."""
    with Project.open(project) as opened_project:
        name = annotator_name or defaults.default_annotator_name()
        outcome = import_paths(opened_project, paths, by=name)
    report_import(outcome)
    if outcome.skipped or any(report.problems for _, report in outcome.sets):
        sys.exit(1)


def report_import(outcome: ImportOutcome) -> None:
    for document in outcome.added:
        path = outcome.files.get(document.id)
        click.echo(f"added: {path.name} ({document.title})" if path else f"added: {document.title}")
    for path, title in outcome.duplicates:
        click.echo(f"skipped {path.name}: same text as {title!r}, already in the project")
    for new, old, score in outcome.near_duplicates:
        click.echo(f"note: {new!r} is nearly the same text as {old!r} ({score:.1f}%)")
    for path, report in outcome.sets:
        parts = [f"{n} {k}" for k, n in sorted(report.added.items())]
        parts += [f"{n} {k} updated" for k, n in sorted(report.updated.items())]
        unchanged = sum(report.unchanged.values())
        click.echo(
            f"{path.name}: "
            + (", ".join(parts) or "nothing new")
            + (f" ({unchanged} unchanged)" if unchanged else "")
        )
        for title, moved, orphaned in report.retexted:
            see = " (see `annotator orphans`)" if orphaned else ""
            click.echo(f"text replaced: {title!r}: {moved} moved, {orphaned} orphaned{see}")
        for item in report.unmapped:
            click.echo(f"not mapped: {item}", err=True)
        for problem in report.problems:
            click.echo(f"problem: {problem}", err=True)
    for skipped in outcome.skipped:
        reason = skipped.reason
        if not reason.startswith(skipped.path.name):
            reason = f"{skipped.path.name}: {reason}"
        click.echo(f"skipped {reason}", err=True)


@main.command()
@project_argument
@json_option
def docs(project: Path, as_json: bool) -> None:
    """List the documents of PROJECT."""
    with Project.open(project) as opened_project:
        summaries = opened_project.document_summaries()
    if as_json:
        emit_json([s.__dict__ for s in summaries])
        return
    for s in summaries:
        details = ", ".join(x for x in (s.author, s.date) if x)
        click.echo(
            f"{s.title}"
            + (f" ({details})" if details else "")
            + f"  [{s.spans} annotations, {s.length} characters]"
        )
    click.echo(f"{len(summaries)} document(s)")


@main.command()
@project_argument
@json_option
def stats(project: Path, as_json: bool) -> None:
    """Count what PROJECT holds."""
    with Project.open(project) as opened_project:
        figures = opened_project.stats()
    if as_json:
        emit_json(figures)
    else:
        print_stats(figures)


def print_stats(figures: dict[str, Any]) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            click.echo(f"{key.replace('_', ' ')}:")
            for name, count in value.items():
                click.echo(f"  {name}: {count}")
        else:
            click.echo(f"{key}: {value}")


@main.command()
@project_argument
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(list(EXPORTS)),
    required=True,
    help="; ".join(f"{f.name}: {f.label}" for f in EXPORTS.values()),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="File (or folder, for brat) to write; - for standard output (text formats).",
)
@click.option(
    "--doc", "documents", multiple=True, help="Only this document (title or id); repeatable."
)
@click.option(
    "--tag", "tags", multiple=True, help="Only spans with this tag or a tag below it; repeatable."
)
@click.option(
    "--annotator", "annotators", multiple=True, help="Only this annotator's work; repeatable."
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="Only stances on this target, and the spans that are their evidence; repeatable.",
)
@click.option("--since", help="Only work created on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only work created on or before this day (YYYY-MM-DD).")
@click.option("--with-text", is_flag=True, help="jsonl, w3c: include the documents' full texts.")
def export(
    project: Path,
    fmt: str,
    output: Path,
    documents: tuple[str, ...],
    tags: tuple[str, ...],
    annotators: tuple[str, ...],
    targets: tuple[str, ...],
    since: str | None,
    until: str | None,
    with_text: bool,
) -> None:
    """Export annotations of PROJECT in one of the interchange formats (see --format)."""
    export_format = EXPORTS[fmt]
    to_stdout = str(output) == "-"
    if to_stdout and export_format.shape != "text":
        raise click.UsageError(f"{fmt} cannot be written to standard output; give a file name")
    with Project.open(project) as opened_project:
        selection = resolve_names(
            opened_project,
            documents=documents,
            tags=tags,
            annotators=annotators,
            targets=targets,
            since=since,
            until=until,
        )
        if to_stdout:
            out = click.get_text_stream("stdout")
            counts = export_format.write(opened_project, out, selection, with_text=with_text)
        else:
            with output_target(export_format, output) as target:
                counts = export_format.write(opened_project, target, selection, with_text=with_text)
    if not to_stdout:
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"
        click.echo(f"Wrote {output}: {summary}", err=True)


@main.command()
@click.argument("mine", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("theirs", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
@click.option(
    "--map-similar",
    is_flag=True,
    help="Also map the near-duplicate tag, target and actor names the report offers.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON file {"their name": "my name"} of codebook entries to treat as one.',
)
@click.option(
    "--no-fuzzy-documents",
    is_flag=True,
    help="Match documents by id and exact text only, not by near-identical text.",
)
@annotator_option
def merge(
    mine: Path,
    theirs: Path,
    dry_run: bool,
    as_json: bool,
    map_similar: bool,
    mapping: Path | None,
    no_fuzzy_documents: bool,
    annotator_name: str | None,
) -> None:
    """Merge a colleague's project THEIRS into MINE (backed up first); nothing is lost.

    Records match by id; documents also by text (exact, then near-identical); tags, targets
    and actors also by name (annotators only by id). A record changed on both sides keeps the
    later version, a document's text included; the other goes to the conflict log. Spans move
    into the text that won where the texts differ; those that cannot be placed become orphans
    to review (`annotator conflicts`, `annotator orphans`).
    """
    from annotator.core.merge import MergeOptions, merge_projects
    from annotator.core.merge.matching import read_mapping_file
    from annotator.core.store.merge_source import mine_for_merge, open_theirs

    names: dict[str, str] = {}
    if mapping is not None:
        try:
            names = read_mapping_file(mapping.read_text(encoding="utf-8-sig"))
        except ValueError as error:  # json.JSONDecodeError included
            raise FormatError(f"{mapping}: {describe(error)}") from error
    options = MergeOptions(
        fuzzy_documents=not no_fuzzy_documents, names=names, map_similar=map_similar
    )
    # THEIRS is checked whole before MINE is opened (and maybe upgraded).
    with open_theirs(theirs, mine) as checked, mine_for_merge(mine, dry_run=dry_run) as project:
        by = acting_id(project, annotator_name or defaults.default_annotator_name())
        result = merge_projects(project, checked, by=by, apply=not dry_run, options=options)
    report = result.report
    report.mine = str(mine)
    if as_json:
        emit_json(report.as_dict())
        return
    print_merge_report(report)


def print_merge_report(report: Any) -> None:
    from annotator.core.merge.report import OUTCOMES

    click.echo(
        ("Merged" if report.applied else "Would merge") + f" {report.theirs} into {report.mine}"
    )
    click.echo(f"{'':12}" + "".join(f"{o:>12}" for o in OUTCOMES))
    for kind, counter in report.counts.items():
        click.echo(f"{kind:12}" + "".join(f"{counter[o]:>12}" for o in OUTCOMES))
    for match in report.documents:
        if match.how != "id" or match.text_differs:
            differs = ", texts differ" if match.text_differs else ""
            score = f"{match.score:.2f}".rstrip("0").rstrip(".")
            if match.text_differs and score == "100":
                score = "99.99"  # rounding must not hide that the texts differ
            click.echo(f"document {match.title!r}: matched by {match.how} ({score}{differs})")
    for name in report.names:
        how = "same name" if name.score >= 100 else f"mapped, similarity {name.score:.0f}"
        click.echo(f"{name.table[:-1]} {name.their_name!r} is {name.my_name!r} ({how})")
    for name in report.similar:
        click.echo(
            f"similar: {name.table[:-1]} {name.their_name!r} ~ {name.my_name!r} "
            f"({name.score:.0f}); not mapped (use --map-similar or --mapping)"
        )
    for moved in report.moved:
        where = f"to {moved.start}..{moved.end}" if moved.method != "orphaned" else "orphaned"
        click.echo(f"span {moved.quote[:50]!r}: {where} ({moved.method}, score {moved.score:.2f})")
    for conflict in report.conflicts:
        click.echo(f"conflict: {conflict.table} {conflict.label!r}: {conflict.reason}")
    if report.backup:
        click.echo(f"Backup of the project before the merge: {report.backup}")


@main.command()
@project_argument
@click.argument("document")
@click.argument("new_text", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace it even if no annotation can be placed.")
@annotator_option
def reanchor(
    project: Path, document: str, new_text: Path, force: bool, annotator_name: str | None
) -> None:
    """Replace the text of DOCUMENT (title or id) with NEW_TEXT, carrying its spans over.

    Spans that cannot be placed with confidence become orphans, listed for review.
    """
    from annotator.core import corpus, ops
    from annotator.core.formats.references import References

    try:
        source = corpus.read_file(new_text)
    except corpus.CorpusError as error:
        raise FormatError(str(error)) from error
    with Project.open(project) as opened:
        document_id = References(opened).require_document(document)
        by = acting_id(opened, annotator_name or defaults.default_annotator_name())
        moved = ops.replace_document_text(
            opened, by=by, document_id=document_id, text=source.text, pages=source.pages,
            refuse_losing_all=not force,
        ).moved  # fmt: skip
    orphans = [m for m in moved if m.method == "orphaned"]
    for m in moved:
        row = m.row
        where = "orphaned" if m.method == "orphaned" else f"moved to {row['start']}..{row['end']}"
        click.echo(f"span {row['quote'][:50]!r}: {where} ({m.method}, score {m.score:.2f})")
    click.echo(f"{len(moved) - len(orphans)} span(s) moved, {len(orphans)} orphaned")


add_review_commands(main)
