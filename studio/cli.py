"""The `studio` command: generate, check, index, runs."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from knowledge.brand import SAMPLE_BRAND_DIR, Product, load_product
from knowledge.errors import ProductFileError, StudioError

app = typer.Typer(
    help="Content Studio: write e-commerce marketing copy with local LLM agents and keep it "
    "within advertising law.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
index_app = typer.Typer(help="Build and inspect the brand's FAISS index.", no_args_is_help=True)
runs_app = typer.Typer(help="List, inspect and resume runs (threads).", no_args_is_help=True)
eval_app = typer.Typer(help="Run regression suites and compare reports.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(runs_app, name="runs")
users_app = typer.Typer(
    help="Manage who may sign in to the UI, and their roles.", no_args_is_help=True
)
audit_app = typer.Typer(help="Read the audit trail of review decisions.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")

MAX_CHECK_TEXT = 20_000


def _studio(**overrides: Any) -> Any:
    from studio.service import Studio
    from studio.settings import Settings

    return Studio(Settings.from_env(**overrides))


def _err(message: str) -> None:
    typer.echo(message, err=True)


def resolve_product(value: str) -> Product:
    """Read a product file, or a bundled product id such as `steel-bottle-500`."""
    path = Path(value)
    if not path.exists() and not value.endswith(".json"):
        bundled = SAMPLE_BRAND_DIR / "products" / f"{value}.json"
        if bundled.is_file():
            path = bundled
        else:
            raise ProductFileError(
                f"product file not found: {value} (give a .json path or a bundled id; "
                "`studio products` lists them)"
            )
    return load_product(path)


@app.command()
def generate(
    product: Annotated[
        str, typer.Option("--product", "-p", help="Product JSON file or bundled id.")
    ],
    channel: Annotated[
        str,
        typer.Option(help="product_page | promo_banner | recommendation | cs_reply | social_post"),
    ] = "product_page",
    persona: Annotated[
        str, typer.Option(help="Audience persona id (see `studio personas`).")
    ] = "general",
    language: Annotated[str | None, typer.Option(help="en | zh (default: the product's)")] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction", "-j", help="Comma list of cn,us,eu,uk,platform (default cn,us,eu,uk)."
        ),
    ] = None,
    request: Annotated[str, typer.Option("--request", "-r", help="What you want, in words.")] = "",
    sponsored: Annotated[bool, typer.Option(help="Sponsored post: requires a disclosure.")] = False,
    llm: Annotated[str | None, typer.Option(help="smollm2 | hf:<model id or path>")] = None,
    max_revisions: Annotated[int | None, typer.Option(min=0, max=10)] = None,
    candidates: Annotated[int | None, typer.Option(min=1, max=8, help="Drafts per round.")] = None,
    seed: Annotated[int | None, typer.Option(help="Sampling seed, for reproducible runs.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")] = False,
) -> None:
    """Write copy for a product through the full agent loop."""
    from knowledge.rulebook import parse_jurisdictions

    item = resolve_product(product)
    jurisdictions = list(parse_jurisdictions(jurisdiction))
    studio = _studio(llm=llm, max_revisions=max_revisions, n_candidates=candidates, seed=seed)
    studio.validate_request(item, channel, persona, language, jurisdictions, request)
    if not as_json:
        _err("Loading models and index (first run converts the bundled model, ~20 s)...")
    on_event = None if as_json else _progress_printer()
    result = studio.generate(
        item, channel, persona, language, jurisdictions, request, sponsored, on_event=on_event
    )
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        _print_result(result)
    if result["stop_reason"].startswith("error:"):
        raise typer.Exit(1)


def _progress_printer() -> Any:
    streaming = {"open": False}

    def on_event(mode: str, payload: Any) -> None:
        if mode == "custom" and isinstance(payload, dict) and payload.get("token"):
            if not streaming["open"]:
                sys.stderr.write("  drafting: ")
                streaming["open"] = True
            sys.stderr.write(str(payload["token"]).replace("\n", " "))
            sys.stderr.flush()
            return
        if mode == "messages":
            chunk, meta = payload
            if meta.get("langgraph_node") == "write_draft" and getattr(chunk, "content", ""):
                if not streaming["open"]:
                    sys.stderr.write("  drafting: ")
                    streaming["open"] = True
                sys.stderr.write(str(chunk.content).replace("\n", " "))
                sys.stderr.flush()
            return
        if streaming["open"]:
            sys.stderr.write("\n")
            streaming["open"] = False
        for node, update in (payload or {}).items():
            _err(f"✓ {node}{_node_summary(node, update or {})}")

    return on_event


def _node_summary(node: str, update: dict[str, Any]) -> str:
    if node == "retrieve_examples":
        copies = [r for r in update.get("retrieved", []) if r.get("kind") == "copy"]
        best = max((r["performance"] for r in copies), default=0.0)
        return f": {len(copies)} examples (top past performance {best:.2f})"
    if node == "write_draft":
        return (
            f": round {update.get('revision', 0)}, {len(update.get('candidates', []))} candidates"
        )
    if node == "critique_draft":
        critique = update.get("critique") or {}
        verdict = "approved" if critique.get("approved") else "not approved"
        return f": {verdict}, overall {critique.get('scores', {}).get('overall', 0):.2f}"
    if node == "check_compliance":
        compliance = update.get("compliance") or {}
        return f": {compliance.get('verdict')} ({len(compliance.get('findings', []))} findings)"
    return ""


def _print_result(result: dict[str, Any]) -> None:
    typer.echo("")
    typer.echo(result["copy"] or "(no copy)")
    typer.echo("")
    typer.echo(
        f"stop reason: {result['stop_reason']}   approved: {result['approved']}   "
        f"revisions: {result['revisions']}   source: {result.get('source')}"
    )
    scores = result.get("scores") or {}
    if scores:
        typer.echo("scores: " + "  ".join(f"{k} {v:.2f}" for k, v in scores.items()))
    for finding in result["findings"]:
        typer.echo(
            f"finding: [{finding['rule_id']}] {finding['severity']} "
            f"'{finding['match']}' — {finding['remedy']}"
        )
    for line in result.get("feedback") or []:
        typer.echo(f"feedback: {line}")
    for n, variant in enumerate(result.get("variants") or [], 1):
        typer.echo(f"variant {n}: {variant}")
    timings = result.get("timings_s") or {}
    typer.echo(
        f"time: {timings.get('total', 0):.1f} s   llm: {result['llm']}   "
        f"tokens/s: {result.get('tokens_per_s')}   thread: {result['thread_id']}"
    )
    if result.get("paused"):
        typer.echo(
            f"paused for legal review: studio runs resume {result['thread_id']} "
            "--decision approve|reject|edit --comment '...'"
        )


def read_texts(source: str) -> list[dict[str, Any]]:
    """Read copy to check: one text a line, or JSONL objects with a `text` field."""
    if source == "-":
        raw = sys.stdin.buffer.read()
        where = "stdin"
    else:
        path = Path(source)
        if not path.is_file():
            raise StudioError(f"cannot read {source}: no such file")
        raw = path.read_bytes()
        where = source
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StudioError(f"{where} is not UTF-8 text") from None
    items = []
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StudioError(f"{where} line {lineno}: invalid JSON ({exc.msg})") from None
            if not isinstance(obj.get("text"), str) or not obj["text"].strip():
                raise StudioError(f"{where} line {lineno}: JSON object needs a non-empty 'text'")
            item = obj
        else:
            item = {"text": line}
        if len(item["text"]) > MAX_CHECK_TEXT:
            raise StudioError(
                f"{where} line {lineno}: text longer than {MAX_CHECK_TEXT} characters"
            )
        items.append(item)
    if not items:
        raise StudioError(f"no text to check in {where}")
    return items


@app.command()
def check(
    source: Annotated[
        str, typer.Argument(help="File with one text a line or JSONL; - for stdin.")
    ] = "-",
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction", "-j", help="Comma list of cn,us,eu,uk,platform (default cn,us,eu,uk)."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | text")] = "jsonl",
    category: Annotated[
        str | None, typer.Option(help="Product category, to apply its rules.")
    ] = None,
    layer: Annotated[
        str | None,
        typer.Option(
            help="rules | classifier | similarity (default: STUDIO_COMPLIANCE_LAYER, classifier)."
        ),
    ] = None,
) -> None:
    """Check copy for risky claims; one JSON object per input text."""
    from agents.compliance.checker import ComplianceChecker
    from knowledge.rulebook import Rulebook, parse_jurisdictions
    from studio.settings import Settings

    if fmt not in ("jsonl", "text"):
        raise StudioError(f"unknown format '{fmt}'; use jsonl or text")
    jurisdictions = parse_jurisdictions(jurisdiction)
    items = read_texts(source)
    settings = Settings.from_env()
    layer = (layer if layer is not None else settings.compliance_layer).strip().lower()
    if layer not in ("rules", "classifier", "similarity"):
        raise StudioError(f"unknown layer '{layer}'; use rules, classifier or similarity")
    checker = ComplianceChecker(Rulebook(settings.rulebook_dir), jurisdictions, semantic=layer)
    hits: list[Any] = [None] * len(items)
    if checker.semantic is not None:  # one batched encode per 256 texts, not one per text
        for start in range(0, len(items), 256):
            batch = [item["text"] for item in items[start : start + 256]]
            hits[start : start + len(batch)] = checker.semantic.scan_many(batch)
    for item, semantic_hits in zip(items, hits, strict=True):
        result = checker.check(
            item["text"],
            item.get("category", category),
            item.get("evidence"),
            semantic_hits=semantic_hits,
        )
        if fmt == "jsonl":
            typer.echo(json.dumps(result.contract(), ensure_ascii=False))
        else:
            typer.echo(f"{result.verdict.upper():<12} {item['text']}")
            for f in result.findings:
                typer.echo(f"  [{f.rule_id}] {f.severity} '{f.match}' at {f.start}-{f.end}")
                typer.echo(f"      law: {f.legal_basis}")
                typer.echo(f"      fix: {f.remedy}")


@index_app.command("build")
def index_build(
    force: Annotated[bool, typer.Option(help="Rebuild even when the index is up to date.")] = False,
) -> None:
    """Embed the brand corpus and write the FAISS index (skips when up to date)."""
    studio = _studio()
    result = studio.build_index(force=force, progress=True)
    state = "built" if result.built else "up to date"
    typer.echo(f"index {state}: {result.count} documents at {result.path} ({result.seconds:.1f} s)")


@index_app.command("show")
def index_show() -> None:
    """Print the index manifest."""
    studio = _studio()
    manifest = studio.settings.index_path / "manifest.json"
    if not manifest.is_file():
        raise StudioError(f"no index at {studio.settings.index_path}: run `studio index build`")
    typer.echo(manifest.read_text(encoding="utf-8"))


@runs_app.command("list")
def runs_list(
    status: Annotated[str | None, typer.Option(help="running | done | paused | error")] = None,
) -> None:
    """List recent runs."""
    for run in _studio().store.runs(status):
        typer.echo(
            f"{run['thread_id']}  {run['created_at']}  {run['status']:<7} "
            f"{run['stop_reason'] or '-':<20} {run['channel']:<14} {run['product_name']}"
        )


@runs_app.command("show")
def runs_show(thread_id: str) -> None:
    """Print a run's final state as JSON."""
    studio = _studio()
    if studio.store.run(thread_id) is None:
        raise StudioError(f"no run with thread id '{thread_id}'")
    typer.echo(json.dumps(studio.state(thread_id), ensure_ascii=False, indent=2, default=str))


@runs_app.command("resume")
def runs_resume(
    thread_id: str,
    decision: Annotated[
        str | None, typer.Option(help="approve | reject | edit (for legal review)")
    ] = None,
    comment: Annotated[str, typer.Option(help="Why (required with a decision).")] = "",
    text: Annotated[str | None, typer.Option(help="Edited copy (with --decision edit).")] = None,
    reviewer: Annotated[str, typer.Option(help="Who decides.")] = os.environ.get(
        "USER", "reviewer"
    ),
) -> None:
    """Resume a run: decide one paused for legal review, or continue an interrupted one."""
    if decision is None:
        studio = _studio()
        if studio.store.run(thread_id) is None:
            raise StudioError(f"no run with thread id '{thread_id}'")
        typer.echo(json.dumps(studio.resume(thread_id), ensure_ascii=False))
        return
    if decision not in ("approve", "reject", "edit"):
        raise StudioError(f"unknown decision '{decision}'; use approve, reject or edit")
    if not comment.strip():
        raise StudioError("a comment is required with every decision")
    if decision == "edit" and not (text or "").strip():
        raise StudioError("--decision edit needs the edited copy in --text")
    studio = _studio()
    if studio.store.run(thread_id) is None:
        raise StudioError(f"no run with thread id '{thread_id}'")
    pending = studio.store.reviews(status="pending", thread_id=thread_id)
    if not pending:
        raise StudioError(f"run '{thread_id}' has no pending review item")
    item = studio.reviews.decide(
        int(pending[0]["id"]), _cli_reviewer(studio, reviewer), decision, comment, text
    )
    result = {**(item["run"] or {}), "review_item": item["id"], "review_status": item["status"]}
    typer.echo(json.dumps(result, ensure_ascii=False))


def _cli_reviewer(studio: Any, name: str) -> Any:
    """The reviewer deciding from the command line: a user of the users file when there is one."""
    from studio.users import User, Users

    users = Users(studio.settings.users_path)
    if not len(users):
        return User(name, "reviewer", "")
    user = users.get(name)
    if user is None:
        raise StudioError(f"unknown reviewer '{name}' (see `studio users list`)")
    return user


@app.command()
def ui(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 7860,
) -> None:
    """Serve the co-writing chat and the legal review queue (Gradio) behind a login."""
    from studio.users import Users

    studio = _studio()
    users = Users(studio.settings.users_path)
    if not len(users):
        raise StudioError(
            f"no users in {studio.settings.users_path}: add one with "
            "`studio users add NAME --role copywriter|reviewer`"
        )
    if not 0 < port < 65536:
        raise StudioError(f"port {port} is out of range 1-65535")
    studio.build_index(progress=False)
    from studio.ui.app import launch_app

    typer.echo(f"Content Studio on http://{host}:{port} ({len(users)} users)", err=True)
    launch_app(studio, users, host, port)


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="copywriter | reviewer")] = "copywriter",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user (or set a new password); the file keeps only a scrypt hash."""
    from studio.settings import Settings
    from studio.users import Users

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    users = Users(Settings.from_env().users_path)
    users.add(name, role, password)
    typer.echo(f"{name} ({role}) saved in {users.path}")


@users_app.command("list")
def users_list() -> None:
    """List users and roles."""
    from studio.settings import Settings
    from studio.users import Users

    users = Users(Settings.from_env().users_path)
    for user in users.users.values():
        typer.echo(f"{user.name:<24} {user.role}")


@audit_app.command("export")
def audit_export(
    out: Annotated[Path | None, typer.Option(help="CSV file to write (default: stdout).")] = None,
) -> None:
    """Write the audit trail as CSV: who decided what, when, on which content hash."""
    csv_text = _studio().store.audit_csv()
    if out is None:
        typer.echo(csv_text, nl=False)
    else:
        out.write_text(csv_text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


@eval_app.command("run")
def eval_run(
    suite: Annotated[
        str,
        typer.Argument(help="Suite JSONL path, or a bundled name: smoke, generation, compliance."),
    ],
    out: Annotated[Path, typer.Option(help="Folder for report.json, report.md and charts.")],
    baseline: Annotated[
        Path | None, typer.Option(help="Report to compare with; a regression exits 1.")
    ] = None,
    llm: Annotated[str | None, typer.Option(help="smollm2 | hf:<model id or path>")] = None,
    seed: Annotated[int | None, typer.Option(help="Sampling seed.")] = None,
    max_revisions: Annotated[int | None, typer.Option(min=0, max=10)] = None,
    candidates: Annotated[int | None, typer.Option(min=1, max=8)] = None,
) -> None:
    """Run a suite through the real studio; write reports; gate on a baseline."""
    from eval.baseline import compare, load_report
    from eval.harness import run_suite
    from eval.report import write_reports
    from eval.suite import load_suite, resolve_suite

    path = resolve_suite(suite)
    cases = load_suite(path)
    previous = load_report(baseline) if baseline else None
    studio = _studio(llm=llm, seed=seed, max_revisions=max_revisions, n_candidates=candidates)
    if any(c.type == "generation" for c in cases):
        studio.build_index(progress=False)
    report = run_suite(studio, path.stem, cases)
    comparison = compare(report, previous) if previous else None
    md = write_reports(report, out, comparison)
    _print_summary(report)
    typer.echo(f"report: {out / 'report.json'} and {md}")
    if comparison:
        for row in comparison["regressions"]:
            typer.echo(
                f"REGRESSION {row['metric']}: {row['baseline']} -> {row['current']} "
                f"(allowed change {row.get('allowed')})"
            )
        for case in comparison["cases"]:
            typer.echo(f"worse case {case['id']}: {'; '.join(case['reasons'])}")
        if comparison["regressions"]:
            raise typer.Exit(1)
        typer.echo("no regression against the baseline")


def _print_summary(report: dict[str, Any]) -> None:
    gen = report["aggregate"].get("generation") or {}
    det = report["aggregate"].get("detector") or {}
    if gen:
        typer.echo(
            f"generation: {gen['cases']} cases, approved {gen['approved_share']:.0%}, "
            f"mean revisions {gen['mean_revisions']}, leak rate {gen['leak_rate']}, "
            f"invented rate {gen['invented_rate']}, latency p50 {gen['latency_p50_s']} s "
            f"p95 {gen['latency_p95_s']} s"
        )
    if det:
        typer.echo(
            f"detector: precision {det['precision']}, recall {det['recall']}, "
            f"false blocks on hard negatives {det['false_block_rate']}"
        )


@eval_app.command("compare")
def eval_compare(
    a: Annotated[Path, typer.Argument(help="First report.json")],
    b: Annotated[Path, typer.Argument(help="Second report.json")],
) -> None:
    """Print two reports side by side."""
    from eval.baseline import load_report, side_by_side

    typer.echo(side_by_side(load_report(a), load_report(b)))


@app.command()
def products() -> None:
    """List the bundled sample brand's products."""
    from knowledge.brand import Brand

    for pid, item in Brand().products.items():
        typer.echo(f"{pid:<28} {item.category:<14} {item.language or '-':<3} {item.name}")


@app.command()
def personas() -> None:
    """List personas and channels of the brand."""
    studio = _studio()
    for pid, persona in studio.brand.personas.items():
        typer.echo(f"persona  {pid:<24} {persona.name.en} / {persona.name.zh}")
    for cid, channel in studio.brand.channels.items():
        typer.echo(f"channel  {cid:<24} {channel.name.en} / {channel.name.zh}")


def _quiet_offline_defaults() -> None:
    """Never reach for a model hub unless asked; keep library progress noise off."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    """Entry point: turn user-fixable errors into one line, never a traceback."""
    _quiet_offline_defaults()
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)  # typer.Exit(n) comes back as a return value in this mode
    except StudioError as exc:
        _err(f"error: {exc}")
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        _err("interrupted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # usage errors arrive here in non-standalone mode
        # typer vendors its own click (typer._click), so recognise a usage error by its shape
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        if os.environ.get("STUDIO_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set STUDIO_DEBUG=1 for details)")
        sys.exit(1)


if __name__ == "__main__":
    main()
