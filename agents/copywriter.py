"""The copywriter: retrieval-grounded drafting with the local LLM, several candidates a round.

Each round samples ``n_candidates`` drafts as one batch, few-shot prompted with the brand's
top-performing copy for the channel. Every LLM draft also yields a repaired variant (sentences
with invented facts or flagged claims dropped, the call to action added). In the last round a
copy composed from the facts with channel templates joins the pool, so a run can still end
with correct, plain copy when the model cannot write any (the bundled 135M model writes no
usable Chinese). The critic picks among the candidates; each records its source.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import yaml
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langgraph.config import get_config, get_stream_writer
from langgraph.runtime import Runtime

from agents.context import Context
from agents.critic.signals import (
    cjk_ratio,
    count_length,
    element_present,
    facts_stated,
    find_invented,
    split_sentences,
)
from agents.errors import GenerationError
from agents.prompts import render
from agents.state import Brief, Candidate, StudioState
from knowledge.brand import Brand
from knowledge.retrieval import Hit

DATA = Path(__file__).parent / "data" / "composer.yaml"
FACT_DATA = Path(__file__).parent / "data" / "fact_sentences.yaml"
TOKENS_PER_UNIT = {"words": 1.4, "chars": 1.3}
_LEADING_NOISE = re.compile(
    r"^\s*(?:sure[,!.]?|certainly[,!.]?|here(?:'s| is) [^:\n]{0,60}:|"
    r"(?:product description|description|copy|文案)\s*[:：])\s*",
    re.IGNORECASE,
)
_ECHO_LINE = re.compile(
    r"^\s*(?:product|facts?|audience|tone|length|include|商品|参数)\s*[:：]", re.IGNORECASE
)


@lru_cache(maxsize=1)
def composer_data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def fact_data() -> dict[str, Any]:
    return yaml.safe_load(FACT_DATA.read_text(encoding="utf-8"))


def fact_prompts(brand: Brand, brief: Brief, facts: list[str]) -> list[list[BaseMessage]]:
    """One few-shot prompt per fact: "write one sentence that states this fact"."""
    data, lang = fact_data(), brief.language
    system = data["system"][lang].format(
        brand=brand.guidelines.brand_name(lang),
        channel=channel_name(brand, brief),
        audience=brand.persona(brief.persona).name.get(lang),
    )
    product_label, fact_label = ("商品", "参数") if lang == "zh" else ("Product", "Fact")
    prompts = []
    for fact in facts:
        messages: list[BaseMessage] = [SystemMessage(system)]
        for shot in data["shots"][lang]:
            messages.append(
                HumanMessage(f"{product_label}: {shot['product']}\n{fact_label}: {shot['fact']}")
            )
            messages.append(AIMessage(shot["sentence"]))
        messages.append(
            HumanMessage(f"{product_label}: {brief.product_name}\n{fact_label}: {fact}")
        )
        prompts.append(messages)
    return prompts


def sample_batch(
    ctx: Context,
    prompts: list[list[BaseMessage]],
    n: int,
    seed: int,
    max_new_tokens: int,
    on_token: Any = None,
) -> list[list[str]]:
    """n samples per prompt: one decoding pass when the backend batches, else prompt by prompt."""
    batch = getattr(ctx.llm, "generate_batch", None)
    if batch is not None:
        return batch(
            prompts,
            n=n,
            seed=seed,
            max_new_tokens=max_new_tokens,
            temperature=ctx.temperature,
            on_token=on_token,
        )
    result = ctx.llm.generate(prompts, n=n, seed=seed, max_new_tokens=max_new_tokens)
    return [[g.text for g in generations] for generations in result.generations]


def first_sentence(text: str, brief: Brief) -> str:
    sentences = split_sentences(clean_output(text, brief))
    return sentences[0] if sentences else ""


def usable_sentence(
    sentence: str, fact_index: int, brief: Brief, ctx: Context, evidence: dict[str, str]
) -> bool:
    """A sentence is kept only if it states its fact and nothing unsupported, cleanly."""
    limit = fact_data()["max_sentence_units"][brief.length_unit]
    if not sentence or count_length(sentence, brief.length_unit) > limit:
        return False
    if (cjk_ratio(sentence) >= 0.5) != (brief.language == "zh"):
        return False
    if fact_index not in facts_stated(sentence, brief) or find_invented(sentence, brief, evidence):
        return False
    if any(w.lower() in sentence.lower() for w in brief.must_avoid if w):
        return False
    return not any(
        f.blocking
        for f in ctx.checker.check(sentence, brief.category, evidence, brief.jurisdictions).findings
    )


def assemble(brief: Brief, brand: Brand, sentences: list[str], variant: int) -> str:
    """Glue checked fact sentences into the channel's shape (greeting, CTA, disclosure...)."""
    lang = brief.language
    channel = brief.channel
    budget = brief.length_max
    head = {"recommendation": "greeting", "cs_reply": "apology"}.get(channel)
    tail = "next_step" if channel == "cs_reply" else "cta"
    parts = [phrase(head, lang, variant)] if head else []
    closing = [phrase(tail, lang, variant)]
    opening = ""
    if channel == "social_post":
        closing += [f"#{brand.guidelines.brand_name(lang)}"]
        if brief.sponsored:  # seen before the "more" fold, so it opens the post
            opening = phrase("disclosure", lang, 0) + " "
    for sentence in sentences:
        trial = opening + _join(parts + [sentence] + closing, lang)
        if count_length(trial, brief.length_unit) > budget and len(parts) > (1 if head else 0):
            break
        parts.append(sentence)
    return opening + _join(parts + closing, lang)


def retrieve_examples(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Fetch the brand's best past copy and guidelines for this brief from the index."""
    started = time.perf_counter()
    ctx = runtime.context
    brief = Brief.model_validate(state["brief"])
    query = f"{brief.product_name}. {brief.category}. " + "; ".join(brief.key_facts[:4])
    base = {"kind": "copy", "language": brief.language, "tier": ["excellent", "good"]}
    hits: list[Hit] = []
    for filters in (
        {**base, "channel": brief.channel, "category": brief.category},
        {**base, "channel": brief.channel},
        {**base},
    ):
        found = ctx.retriever.search(query, k=ctx.examples_k, filters=filters)
        hits += [h for h in found if h.id not in {x.id for x in hits}]
        if len(hits) >= ctx.examples_k:
            break
    guides = ctx.retriever.search(
        query,
        k=2,
        filters={"kind": "guideline", "language": brief.language, "channel": [brief.channel, None]},
    )
    retrieved = [_hit_dict(h) for h in hits[: ctx.examples_k] + guides]
    return {"retrieved": retrieved, "timings": {"retrieve_examples": time.perf_counter() - started}}


def _hit_dict(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "text": hit.text,
        "score": hit.score,
        "relevance": hit.relevance,
        "performance": hit.performance,
        "kind": hit.metadata.get("kind"),
        "tier": hit.metadata.get("tier"),
        "metrics": hit.metadata.get("metrics", {}),
    }


def channel_name(brand: Brand, brief: Brief) -> str:
    return brand.channel(brief.channel).name.get(brief.language)


def build_messages(
    brand: Brand,
    brief: Brief,
    retrieved: list[dict[str, Any]],
    fixes: list[str],
    banned: list[str],
    previous: str = "",
) -> list[BaseMessage]:
    """Few-shot chat: top past copy as earlier turns, then the brief with what to fix.

    ``previous`` is the copy a follow-up request revises; it is quoted as data.
    """
    lang = brief.language
    name = channel_name(brand, brief)
    guidelines = brand.guidelines
    avoid = ", ".join(brief.must_avoid[:15])
    system = render(
        "copywriter_system",
        lang,
        brand=guidelines.brand_name(lang),
        voice=guidelines.voice_description(lang),
        channel_name=name,
        avoid=avoid,
    )
    messages: list[BaseMessage] = [SystemMessage(system)]
    for example in [r for r in retrieved if r.get("kind") == "copy"]:
        messages.append(
            HumanMessage(
                render("example_task", lang, product=_example_subject(example), channel_name=name)
            )
        )
        messages.append(AIMessage(example["text"]))
    notes = ""
    if brief.request:
        notes += "顾客需求（仅作参考信息）：" if lang == "zh" else "Notes from the request (data): "
        notes += f'"{brief.request[:300]}"\n'
    if previous:
        notes += "在这版文案基础上修改：" if lang == "zh" else "Revise this current copy: "
        notes += f'"{previous[:600]}"\n'
    directives = [d for d in brief.directives if not d.startswith("occasion:")]
    if directives:
        notes += ("调整：" if lang == "zh" else "Adjust: ") + ", ".join(directives) + "\n"
    fix_text = ""
    if fixes:
        fix_text += "修改要求：\n" if lang == "zh" else "Fix these:\n"
        fix_text += "\n".join(f"- {f}" for f in fixes[:6]) + "\n"
    if banned:
        fix_text += ("不要提到：" if lang == "zh" else "Do not mention: ") + "; ".join(banned[:10])
    include = ", ".join(brief.must_include)
    task = render(
        "copywriter_task",
        lang,
        product=brief.product_name,
        facts="; ".join(brief.key_facts),
        audience=brief.audience,
        tone=brief.tone,
        length_min=brief.length_min,
        length_max=brief.length_max,
        length_unit=brief.length_unit,
        include=include,
        notes=notes,
        fixes=fix_text,
        channel_name=name,
    )
    messages.append(HumanMessage(task))
    return messages


def _example_subject(example: dict[str, Any]) -> str:
    text = example["text"]
    specs = re.findall(
        r"\d+(?:[.,/]\d+)?\s?(?:ml|l|g|kg|h|hours|mah|cm|mm|gsm|毫升|克|小时|元|%)",
        text,
        re.IGNORECASE,
    )
    subject = str(example.get("product") or example.get("id"))
    return subject + (f" ({', '.join(dict.fromkeys(specs))})" if specs else "")


def clean_output(text: str, brief: Brief) -> str:
    """Strip chat leftovers, echoed brief lines and quotes; cut overlong copy at a sentence."""
    text = text.replace("<|im_end|>", "").replace("<|im_start|>", "")
    lines = [ln for ln in text.strip().splitlines() if ln.strip() and not _ECHO_LINE.match(ln)]
    text = (
        " ".join(ln.strip() for ln in lines)
        if brief.language == "en"
        else "".join(ln.strip() for ln in lines)
    )
    text = _LEADING_NOISE.sub("", text).strip().strip('"“”').strip()
    if count_length(text, brief.length_unit) > brief.length_max:
        kept: list[str] = []
        for sentence in split_sentences(text):
            trial = _join(kept + [sentence], brief.language)
            if kept and count_length(trial, brief.length_unit) > brief.length_max:
                break
            kept.append(sentence)
        text = _join(kept, brief.language)
    return text.strip()


def _join(sentences: list[str], language: str) -> str:
    return ("" if language == "zh" else " ").join(s.strip() for s in sentences if s.strip())


def repair(text: str, brief: Brief, ctx: Context, evidence: dict[str, str]) -> str:
    """Drop sentences with invented facts or flagged claims; add the call to action if missing."""
    channel = ctx.brand.channel(brief.channel)
    kept = []
    for sentence in split_sentences(text):
        if find_invented(sentence, brief, evidence):
            continue
        if any(
            f.blocking
            for f in ctx.checker.check(
                sentence, brief.category, evidence, brief.jurisdictions
            ).findings
        ):
            continue
        if any(w.lower() in sentence.lower() for w in brief.must_avoid if w):
            continue
        kept.append(sentence)
    repaired = _join(kept, brief.language)
    if "cta" in brief.must_include and not element_present(
        "cta", repaired, brief, ctx.brand, channel
    ):
        repaired = _join([repaired, phrase("cta", brief.language, 0)], brief.language)
    if "disclosure" in brief.must_include and not element_present(
        "disclosure", repaired, brief, ctx.brand, channel
    ):
        tag = phrase("disclosure", brief.language, 0)
        if channel.disclosure_fold:  # past the "more" fold it does not count: move it first
            cues = ctx.brand.element_cues.get("disclosure", {}).get(brief.language, [])
            for cue in (c for c in cues if c.startswith("#")):
                repaired = re.sub(
                    rf"\s*{re.escape(cue)}(?![\w\u4e00-\u9fff])", "", repaired, flags=re.I
                )
            repaired = f"{tag} {repaired.strip()}"
        else:
            repaired = _join([repaired, tag], brief.language)
    return repaired.strip()


def phrase(kind: str, language: str, variant: int) -> str:
    options = composer_data()["phrases"][kind][language]
    return options[variant % len(options)]


def render_fact(line: str, language: str) -> str:
    """Turn 'keeps cold hours: 24' into 'keeps cold 24 hours' (or a Chinese label form)."""
    key, _, value = line.partition(":")
    key = key.strip()
    value = re.sub(r"\s*[(（][^)）]*[)）]", "", value).strip()  # drop parenthetical notes
    value = re.split(r"[;；]", value)[0].strip()
    data = composer_data()
    if language == "zh":
        label = data["labels_zh"].get(key.replace(" ", "_"))
        if value in ("yes", "no"):
            return label if label and value == "yes" else ""
        return f"{label}{value}" if label else value
    words = key.split()
    unit = data["key_units"].get(words[-1].lower()) if words else None
    if unit and re.fullmatch(r"[\d.]+", value):
        return f"{' '.join(words[:-1])} {value} {unit}".strip()
    if value in ("yes", "no"):
        return key if value == "yes" else ""
    return value if len(value.split()) > 1 or not words else f"{key} {value}"


CURRENCY_SYMBOLS = {"USD": "$", "CNY": "¥", "RMB": "¥", "EUR": "€", "GBP": "£"}


def format_price(brief: Brief) -> str:
    """'price: 129 CNY' → '¥129'; '$29' for USD; '29 CHF' for currencies without a symbol."""
    line = next((f for f in brief.key_facts if f.startswith("price:")), "")
    amount, _, currency = line.partition(":")[2].strip().partition(" ")
    if not amount:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency.strip().upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}".strip()


def compose(brief: Brief, brand: Brand, variant: int) -> str:
    """Write plain, correct copy from the facts with the channel's templates."""
    lang = brief.language
    templates = composer_data()["templates"][brief.channel][lang]
    facts = [f for f in brief.key_facts if not f.startswith("price:")]
    rendered = [r for r in (render_fact(f, lang) for f in facts) if r]
    sep = "，" if lang == "zh" else "; "
    end = "。" if lang == "zh" else "."
    price = format_price(brief)
    persona = brand.persona(brief.persona)
    need = (
        persona.name.get(lang)
        if brief.persona != "general"
        else ("日常使用" if lang == "zh" else "everyday routine")
    )
    category = (
        composer_data()["categories_zh"].get(brief.category, brief.category)
        if (lang == "zh")
        else brief.category.replace("_", " ")
    )
    tags = (brand.guidelines.brand_name(lang), category)
    hashtags = (
        " ".join("#" + re.sub(r"\W", "", w) for w in tags)
        if ("hashtag" in brief.must_include)
        else ""
    )
    values = {
        "name": brief.product_name,
        "spec_short": sep.join(rendered[:2]),
        "need": need.lower() if lang == "en" else need,
        "cta": phrase("cta", lang, variant),
        "price": price,
        "greeting": phrase("greeting", lang, variant),
        "apology": phrase("apology", lang, variant),
        "next_step": phrase("next_step", lang, variant),
        "hashtags": hashtags,
        "disclosure": phrase("disclosure", lang, 0) if brief.sponsored else "",
    }
    text = ""
    for count in range(len(rendered), 0, -1):
        values["specs"] = sep.join(rendered[:count]) + end
        text = Template(templates[variant % len(templates)]).safe_substitute(values)
        text = re.sub(r"\s{2,}", " ", text).strip()
        if count_length(text, brief.length_unit) <= brief.length_max:
            break
    return text


def feedback_for_revision(state: StudioState) -> tuple[list[str], list[str]]:
    """Collect what to fix (critic feedback, compliance remedies) and phrases never to repeat."""
    fixes = list((state.get("critique") or {}).get("feedback", []))
    banned: list[str] = []
    for finding in (state.get("compliance") or {}).get("findings", []):
        fixes.insert(0, f"remove '{finding['match']}': {finding['remedy']}")
    for draft in state.get("drafts", []):
        banned += [f["match"] for f in (draft.get("compliance") or {}).get("findings", [])]
        banned += (draft.get("critique") or {}).get("invented", [])
    return list(dict.fromkeys(fixes)), list(dict.fromkeys(b for b in banned if b))


def llm_cannot_write(drafts: list[dict[str, Any]], language: str) -> bool:
    """True when every LLM draft of the first round was in the wrong language or degenerate.

    Measured, not assumed: the bundled 135M model writes no usable Chinese, so rather than
    spend two more rounds on it the copywriter goes straight to the composed fallback.
    """
    if not drafts:
        return False
    first = [c for c in drafts[0].get("candidates", []) if c.get("source") == "llm"]
    return bool(first) and all(c.get("language_ok") is False for c in first)


def assembled_candidates(
    ctx: Context, brief: Brief, evidence: dict[str, str], seed: int
) -> list[Candidate]:
    """Plan-and-write: one checked LLM sentence per fact, assembled in the channel's shape."""
    data = fact_data()
    facts = [f for f in brief.key_facts if not f.startswith("price:")][: data["max_facts"]]
    if not facts:
        return []
    writer = get_stream_writer()

    def on_token(delta: str) -> None:
        writer({"node": "write_draft", "token": delta})

    per_fact = int(data["samples_per_fact"])
    samples = sample_batch(
        ctx,
        fact_prompts(ctx.brand, brief, facts),
        per_fact,
        seed,
        max_new_tokens=48,
        on_token=on_token,
    )
    usable: list[list[str]] = []
    for fact, texts in zip(facts, samples, strict=True):
        index = brief.key_facts.index(fact)
        sentences = [first_sentence(t, brief) for t in texts]
        usable.append([s for s in sentences if usable_sentence(s, index, brief, ctx, evidence)])
    candidates = []
    for variant in range(per_fact):
        chosen = [options[min(variant, len(options) - 1)] for options in usable if options]
        if chosen:
            text = assemble(brief, ctx.brand, chosen, variant)
            candidates.append(Candidate(text=text, source="assembled"))
    return candidates


def write_draft(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Sample candidate drafts in one batch, add repaired and (last round) composed copy."""
    started = time.perf_counter()
    ctx = runtime.context
    brief = Brief.model_validate(state["brief"])
    revision = len(state.get("drafts", []))
    evidence = (state.get("product") or {}).get("evidence") or {}
    fixes, banned = feedback_for_revision(state) if revision else ([], [])
    if llm_cannot_write(state.get("drafts", []), brief.language):
        composed = compose(brief, ctx.brand, ctx.seed + revision)
        return {
            "revision": revision,
            "candidates": [Candidate(text=composed, source="composed").model_dump()],
            "llm_stats": [
                {
                    "node": "write_draft",
                    "revision": revision,
                    "skipped": f"the LLM wrote no usable {brief.language} copy in round 0",
                }
            ],
            "timings": {"write_draft": time.perf_counter() - started},
        }
    messages = build_messages(
        ctx.brand, brief, state.get("retrieved", []), fixes, banned, state.get("previous_copy", "")
    )
    max_tokens = int(brief.length_max * TOKENS_PER_UNIT[brief.length_unit]) + 16
    config = get_config()
    try:
        result = ctx.llm.generate(
            [messages],
            callbacks=config.get("callbacks"),
            tags=config.get("tags"),
            metadata=config.get("metadata"),
            n=ctx.n_candidates,
            seed=ctx.seed + revision,
            max_new_tokens=max_tokens,
            temperature=ctx.temperature,
        )
    except GenerationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a backend failure is recorded as error:generation
        raise GenerationError(f"the LLM failed: {exc}") from exc
    generations = result.generations[0]
    stats = dict(generations[0].generation_info or {}) if generations else {}
    pool: list[Candidate] = []
    for generation in generations:
        text = clean_output(generation.text, brief)
        if text:
            pool.append(Candidate(text=text, source="llm"))
            fixed = repair(text, brief, ctx, evidence)
            if fixed and fixed != text:
                pool.append(Candidate(text=fixed, source="repaired"))
    if ctx.fact_sentences and brief.channel != "promo_banner":
        pool += assembled_candidates(ctx, brief, evidence, ctx.seed + revision)
    if ctx.fallback_composer and (revision >= ctx.max_revisions or not pool):
        pool.append(
            Candidate(text=compose(brief, ctx.brand, ctx.seed + revision), source="composed")
        )
    unique = list({c.text: c for c in pool}.values())
    return {
        "revision": revision,
        "candidates": [c.model_dump() for c in unique],
        "llm_stats": [{"node": "write_draft", "revision": revision, **stats}],
        "timings": {"write_draft": time.perf_counter() - started},
    }
