"""The analysts' predicted outcomes: by outcome under the verdicts, and every prediction ranked by
how well the scenario matches its conditions (one Markdown block per group, quotes shown)."""

from __future__ import annotations

import streamlit as st

from engine import Corpus
from engine.evaluate import AnalystOutcome, Evaluation, PredictionResult, disagreements_here, group_disagreements, predictions_by_outcome
from engine.report import certainty_words

from . import layout
from .memo import shared_lru
from .claims import context_link, context_prefix, options_text, quoted, whose
from .text import md


def prediction_markdown(corpus: Corpus, p: PredictionResult, prefix: str) -> str:
    """A prediction as Markdown: match and whose it is, the verbatim quote with who said it and
    the source, our summary, then each condition and whether it holds here."""
    held = sum(c.holds for c in p.conditions)
    hedge = certainty_words(p.certainty)
    head = (
        f"**{p.match:.0%}** · {held} of {len(p.conditions)} conditions hold · "
        f"**{md(p.analyst_name)}**: {md(p.outcome_label)}"
        + (f" ({md(hedge)})" if hedge else "")
        + (f" · *{md(whose(p))}*" if whose(p) else "")
    )
    src = corpus.sources.get(p.source)
    quote = (
        f":gray[:material/format_quote:] {quoted(p.quote)}  \n— {md(p.analyst_name)} ({md(p.analyst_role)}) · "
        f"{md(src.label if src else p.source)} · {context_link(prefix, p.source, p.id)}"
    )
    conds = []
    for c in p.conditions:
        mark = ":green[:material/check: **holds**]" if c.holds else ":orange[:material/close: **does not hold**]"
        conds.append(
            f"- **{md(c.term_label)}** {mark}: applies with {options_text(corpus, c.term, c.options)}; "
            f"here “{md(corpus.term(c.term).option(c.chosen).label)}”"
        )
    return f"{head}\n\n{quote}\n\n*Our summary:* {md(p.summary)}\n\nConditions (our coding of the text):\n\n" + "\n".join(conds)


GROUPS = (
    ("all", "Every condition holds"),
    ("some", "Some conditions hold"),
    ("none", "No condition holds"),
)


def _group(p: PredictionResult) -> str:
    return "all" if p.match >= 1.0 else "some" if p.match > 0 else "none"


@shared_lru(512)
def _group_markdown(_corpus: Corpus, version: str, scenario: tuple[tuple[str, str], ...], group: str, prefix: str) -> str:
    """One group of a scenario's ranked predictions as Markdown, once per scenario and group."""
    from . import cached

    preds = [p for p in cached.evaluation(_corpus, version, scenario).predictions if _group(p) == group]
    return "\n\n---\n\n".join(prediction_markdown(_corpus, p, prefix) for p in preds)


def render(corpus: Corpus, evaluation: Evaluation) -> None:
    """Every prediction, ranked by match, with its quote: one Markdown block per group. Those
    whose every condition holds are shown; the other groups are built when opened."""
    st.markdown("#### What analysts expect would follow")
    st.caption(
        "Each analyst's prediction applies under conditions (our coding of the text). "
        "Match = the share of those conditions this scenario meets; it says nothing about whether the analyst is right."
    )
    if not evaluation.predictions:
        st.info("The data holds no predictions yet.")
        return
    key = tuple(evaluation.scenario.items())
    prefix = context_prefix(corpus)
    counts = {g: 0 for g, _ in GROUPS}
    for p in evaluation.predictions:
        counts[_group(p)] += 1
    shown = next(g for g, _ in GROUPS if counts[g])  # the best-matching group there is, in full
    for g, title in GROUPS:
        if not counts[g]:
            continue
        if g == shown:
            st.markdown(f"##### {title} ({counts[g]})\n\n" + _group_markdown(corpus, corpus.version, key, g, prefix))
        else:
            box = layout.folded(f"**{title} ({counts[g]})**, each with its quote", key=f"x_preds_{g}")
            if box is not None:
                box.markdown(_group_markdown(corpus, corpus.version, key, g, prefix))


# --- What would follow: predictions by outcome (the first thing under the verdicts) ----------------


def _whose_words(a: AnalystOutcome) -> str:
    """Whose expectation it is: the analyst's own forecast, ascribed to someone, an assessment."""
    words = []
    if "forecast" in a.kinds:
        words.append("forecast")
    if "ascribed" in a.kinds:
        words.append(f"ascribed to {', '.join(a.holders)}")
    if "assessment" in a.kinds:
        words.append("assessment")
    return "; ".join(words)


def _rows(items: list[AnalystOutcome], with_conditions: bool = False) -> str:
    """One table row per analyst and outcome; an outcome's label only on its first row."""
    cols = ["Outcome (our label)", "Analyst", "Whose expectation"] + (["Conditions that hold here"] if with_conditions else [])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    last = None
    for a in items:
        label = md(a.outcome_label) if a.outcome != last else "″"
        last = a.outcome
        cells = [label, md(a.analyst_name), md(_whose_words(a))]
        if with_conditions:
            cells.append(f"{a.held} of {a.conditions}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@shared_lru(512)
def outcome_markdown(_corpus: Corpus, version: str, scenario: tuple[tuple[str, str], ...]) -> tuple[str, str, int]:
    """The predictions by outcome of a scenario as Markdown, once per scenario: (the expected
    outcomes and the disagreements, the table of the rest, how many rows the rest has)."""
    from . import cached

    evaluation = cached.evaluation(_corpus, version, scenario)
    rows = predictions_by_outcome(evaluation)
    applies = [a for r in rows for a in r.analysts if a.applies]
    rest = [a for r in rows for a in r.analysts if not a.applies]
    parts = []
    if applies:
        n_out = len({a.outcome for a in applies})
        parts.append(
            f"{_plural(n_out, 'outcome', 'outcomes')} expected here: every condition of the analyst's prediction holds "
            "(our coding), which is not to say it would happen. *Forecast*: the analyst's own; *assessment*: what the deal "
            "amounts to; *ascribed to*: what the analyst says someone else expects. ″: as the row above.\n\n"
            + _rows(applies)
        )
    else:
        parts.append("No analyst's prediction has every condition met by this scenario.")
    dis = disagreements_here(_corpus, evaluation, rows)
    if dis:
        pairs = "\n".join(
            f"- **{md(g.label_a)}** ({md(', '.join(g.names_a))}) *or* **{md(g.label_b)}** ({md(', '.join(g.names_b))})"
            for g in group_disagreements(dis)
        )
        parts.insert(
            0,
            ":orange[:material/call_split:] **Where analysts disagree**: their own forecasts for this scenario expect "
            f"outcomes that cannot both happen (our pairing of outcomes):\n\n{pairs}",
        )
    return "\n\n".join(parts), _rows(rest, with_conditions=True) if rest else "", len(rest)


def by_outcome(corpus: Corpus, evaluation: Evaluation, lead: str = "") -> None:
    """Each outcome with the analysts who expect it for this scenario, one row per analyst and
    outcome (one Markdown table); where analysts' own forecasts disagree; the rest folded; all
    one Markdown block.
    `lead`: a note in small type before the heading, in the same block (e.g. how to read the
    cards above it)."""
    main, rest, n_rest = outcome_markdown(corpus, corpus.version, tuple(evaluation.scenario.items()))
    st.markdown(
        (f":small[:gray[{lead}]]\n\n" if lead else "")
        + "#### What would follow: analysts' expected outcomes for this scenario\n\n"
        + main
        # The rest folded in the same block (opened in the browser: no rerun, no element).
        + (f"\n\n{layout.fold(f'Outcomes whose conditions do not all hold here ({n_rest} analyst–outcome rows)', rest)}" if n_rest else ""),
        unsafe_allow_html=True,
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
