"""Each side's verdict on the scenario: four cards at a glance (graded words, counts in
positions, what it would take to clear its red lines), what moved with the last change, then
one side's positions in full with their quotes.

Lean by design (bench/LOAD.md): a card is four or five elements, and a list of positions is
one Markdown block however long.
"""

from __future__ import annotations

from typing import Any
import streamlit as st

from engine import Corpus
from engine.report import certainty_words
from engine.evaluate import Evaluation, SideResult, moved, moved_words
from engine.landscape import what_would_it_take

from . import cached, layout, state
from .memo import SharedLRU, shared_lru
from .claims import by_term_then_strength, by_term_then_strength_positions, context_link, context_prefix, demand_markdown, how_held, options_text, quoted
from .text import app_link, link, link_target, md

# The plain verdict of each card, in words (a contract the tests read: every card of that
# verdict shows them). The graded words (SideResult.grade_label) are the card's headline.
VERDICT_WORDS = {
    "red_line_crossed": "Red line crossed",
    "some_demands_unmet": "No red line crossed",
    "all_demands_met": "Every demand met",
    "no_demands": "No demands on record",
}
# Colour and icon per grade, so the colour is never the only cue (words and icon carry it too).
GRADE_STYLE = {
    "red_line_crossed": ("red", ":material/block:"),
    "all_met": ("green", ":material/check_circle:"),
    "most_met": ("blue", ":material/thumb_up:"),
    "some_met": ("orange", ":material/contrast:"),
    "few_met": ("orange", ":material/warning:"),
    "none_met": ("orange", ":material/cancel:"),
    "no_demands": ("gray", ":material/remove:"),
}
# Kept for code that styled by verdict id (compare chips): colour, icon and short words.
VERDICT_STYLE = {
    "red_line_crossed": ("red", ":material/block:", "Red line crossed"),
    "some_demands_unmet": ("orange", ":material/warning:", "No red line crossed"),
    "all_demands_met": ("green", ":material/check_circle:", "Every demand met"),
    "no_demands": ("gray", ":material/remove:", "No demands on record"),
}
BAR_COLOUR = "#0B5CAD"
WWIT_SPELLED = 2  # up to this many changes are spelled out on the card; more are listed in the tooltip

# The session keys of "what moved" (this view's own; state.py holds the app's).
MOVED_FROM = "_moved_from"  # the scenario key the build view last showed
MOVED_TEXT = "_moved_text"  # what the last change moved, in words, shown until the next change


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _bar(share: float) -> str:
    """The weighted share as a bar (decoration: the same figure is in the words beside it)."""
    pct = max(0, min(100, round(share * 100)))
    return (
        '<div aria-hidden="true" style="height:10px;background:#DDE2E8;border-radius:5px;margin:2px 0 6px">'
        f'<div style="width:{pct}%;height:10px;background:{BAR_COLOUR};border-radius:5px"></div></div>'
    )


# --- What would it take -------------------------------------------------------------------------


@shared_lru(512)
def wwit(_corpus: Corpus, version: str, scenario: cached.ScenarioKey, side: str) -> dict[str, Any]:
    """engine.landscape.what_would_it_take for one side, cached per scenario (read only; the
    engine keeps the landscape's tables per corpus, so a new scenario costs ~0.4 ms)."""
    return what_would_it_take(_corpus, dict(scenario), side)


def _option(corpus: Corpus, term_id: str, option_id: str) -> str:
    return corpus.term(term_id).option(option_id).label


def wwit_text(corpus: Corpus, side: SideResult, w: dict[str, Any]) -> str:
    """What it would take to clear the side's red lines, in Markdown ("" when none is crossed)."""
    if w.get("already") or not side.positions_crossed:
        return ""
    if not w.get("possible"):
        terms = ", ".join(corpus.term(b["term"]).label for b in w.get("impossible", []))
        return (
            f"**What would it take:** no deal clears every red line of {md(side.name)}: on {md(terms)} "
            "its sources' red lines accept no common option."
        )
    n = len(w["changes"])
    if n <= WWIT_SPELLED:
        changes = "; ".join(
            f"{md(corpus.term(c['term']).label)} → “{md(_option(corpus, c['term'], c['to']))}”" for c in w["changes"]
        )
    else:  # many: the terms here, each with its option in the button's tooltip (wwit_changes)
        changes = ", ".join(md(corpus.term(c["term"]).label) for c in w["changes"])
    costs = []
    for sid, e in w.get("effect", {}).items():
        if sid == side.id:
            continue
        delta = e["red_lines_after"] - e["red_lines_before"]
        if delta > 0:
            costs.append(f"{md(corpus.side(sid).name)} +{_plural(delta, 'red line', 'red lines')}")
    text = f"**What would it take:** {_plural(n, 'change', 'changes')}: {changes}."
    if costs:
        text += f" Costs: {'; '.join(costs)} crossed."
    return text


def wwit_changes(corpus: Corpus, w: dict[str, Any]) -> str:
    """Each change with its option, one a line (in the apply row's tooltip)."""
    return "\n".join(
        f"- {md(corpus.term(c['term']).label)} → “{md(_option(corpus, c['term'], c['to']))}”" for c in w["changes"]
    )


WWIT_APPLY = "wwit_apply"  # the key of the row that applies what it would take (a side's id when picked)


def _apply_picked(corpus: Corpus, results: dict[str, dict[str, str]], preset_id: str | None) -> None:
    """Callback of the apply row: open the scenario with the side's changes applied
    (state.open_scenario: the next run applies it); the row is an action, so nothing stays picked."""
    side = st.session_state.get(WWIT_APPLY)
    st.session_state[WWIT_APPLY] = None
    if side in results:
        state.open_scenario(results[side], preset_id=preset_id, view="build")


# --- Cards --------------------------------------------------------------------------------------

# How to read the cards (shown in small type right under them, with the block that follows).
CARDS_NOTE = (
    "Headline: our graded words from the weighted share met (red lines count 3, demands 2, preferences 1; see Method), "
    "unless a red line is crossed. Counts are positions: a position counts once however many sources report it. "
    "“On record” is the number of terms on which the sources give the side a 2025 position; on the others they are silent. "
    "“What would it take”: the fewest term changes that clear the side's red lines. Verdicts are this app's scoring, not the sides' words."
)


def card_body(corpus: Corpus, sd: SideResult) -> str:
    """A card's text: graded headline, the plain verdict and share, counts in positions, the bar."""
    colour, icon = GRADE_STYLE.get(sd.grade, ("gray", ":material/help:"))
    total = sd.positions_total
    n_src = len(sd.sources)
    verdict = VERDICT_WORDS.get(sd.verdict, sd.verdict_label)
    if sd.verdict == "all_demands_met":
        verdict = f"No red line crossed. {verdict}"
    lines = [
        f"#### :{colour}[{icon} {md(sd.grade_label)}]",
        "",
        f"{verdict} · Weighted share met: **{sd.satisfaction:.0%}**",
        "",
        _bar(sd.satisfaction),
        "",
        f"**{_plural(len(sd.positions_crossed), 'red line', 'red lines')}** crossed  \n"
        f"**{len(sd.positions_met)} of {total}** positions met  \n"
        f"**{len(sd.positions_unmet)}** other demands not met  \n"
        f"On record on **{sd.terms_on_record} of {sd.terms_on_record + len(sd.silent_terms)}** terms, "
        f"reported by {_plural(n_src, 'source', 'sources')}",
    ]
    return "\n".join(lines)


def card_markdown(corpus: Corpus, sd: SideResult, w: dict[str, Any] | None) -> str:
    """One side's card: an HTML box (`card-<side>`, what the browser tests and app.css read)
    around Markdown (name, graded words, counts, bar, what would it take)."""
    extra = wwit_text(corpus, sd, w) if w else ""
    return (
        f'<div class="pte-card" id="card-{sd.id}">\n\n### {md(sd.name)}\n\n{card_body(corpus, sd)}'
        + (f"\n\n{extra}" if extra else "")
        + "\n\n</div>"
    )


def _apply_label(sd: SideResult, w: dict[str, Any]) -> str:
    n = len(w["changes"])
    return f":material/auto_fix_high: {md(sd.name)}: {'1 change' if n == 1 else f'{n} changes'}"


def cards(corpus: Corpus, evaluation: Evaluation, preset_id: str | None = None, head: str = "") -> None:
    """The sides' cards, all four in one Markdown block (one element, not a box, a block and a
    button per side: the page is drawn on every rerun, bench/LOAD.md); app.css lays them out
    four across, two by two or one under another with the room they have. `head` (Markdown,
    e.g. the scenario's title) opens the same block. Under them, one row of buttons (one
    element) with a button per side that what would it take can help: it applies the changes."""
    key = cached.key(evaluation.scenario)
    ws = {sd.id: wwit(corpus, corpus.version, key, sd.id) if sd.positions_crossed else None for sd in evaluation.sides}
    st.markdown(
        (f"{head}\n\n" if head else "")
        + '<div class="pte-cards-box"><div class="pte-cards">\n\n'
        + "\n\n".join(card_markdown(corpus, sd, ws[sd.id]) for sd in evaluation.sides)
        + "\n\n</div></div>",
        anchors=False,
        unsafe_allow_html=True,
    )
    helped = [(sd, w) for sd in evaluation.sides if (w := ws[sd.id]) and w.get("possible") and not w.get("already")]
    if not helped:
        return
    labels = {sd.id: _apply_label(sd, w) for sd, w in helped}
    st.pills(
        "Apply what it would take to clear the red lines of",
        options=list(labels),
        format_func=labels.__getitem__,
        selection_mode="single",
        key=WWIT_APPLY,
        on_change=_apply_picked,
        args=(corpus, {sd.id: w["result"] for sd, w in helped}, preset_id),
        help="The fewest changes that cross none of a side's red lines:\n\n"
        + "\n\n".join(f"**{md(sd.name)}**\n\n{wwit_changes(corpus, w)}" for sd, w in helped),
    )


# --- What moved ---------------------------------------------------------------------------------


def what_moved(corpus: Corpus, evaluation: Evaluation) -> str:
    """What the last change of the scenario moved, kept until the next change ("" before any);
    moved_line() words it for the page."""
    ss = st.session_state
    key = cached.key(evaluation.scenario)
    before = ss.get(MOVED_FROM)
    if before is not None and before != key:
        try:
            old = cached.evaluation(corpus, corpus.version, before)
            text = moved_words(moved(old, evaluation)) or "no verdict moved"
        except Exception:  # a scenario from other data (a restart): nothing to compare
            text = ""
        ss[MOVED_TEXT] = text
    ss[MOVED_FROM] = key
    return ss.get(MOVED_TEXT, "")


def moved_line(text: str) -> str:
    """What moved, as the line under the scenario's title (Markdown; "" when nothing to say)."""
    return f":blue-background[:material/swap_vert: **What moved with your last change:** {md(text)}]" if text else ""


# --- One side in full ---------------------------------------------------------------------------


@shared_lru(512)
def _positions_cached(_corpus: Corpus, version: str, scenario: cached.ScenarioKey, side: str, bucket: str, prefix: str) -> str:
    """A side's list of positions as Markdown, per scenario, side, list and address (a str: shared read-only)."""
    sd = cached.evaluation(_corpus, version, scenario).side(side)
    return positions_markdown(_corpus, sd.name, getattr(sd, bucket), prefix=prefix)


# A position's block holds its "Read in context" links with this stand-in for the address of
# the view (positions_markdown puts the real one in): one block serves every scenario with the
# same option on the position's term.
_PREFIX = "\x00prefix\x00"
_BLOCKS = SharedLRU(8192)


def positions_markdown(corpus: Corpus, side_name: str, items, scenario_label: str = "here", *, prefix: str = "") -> str:
    """A list of positions as one Markdown block: per position the term, how it is held, how
    many sources report it, what it accepts, then every report's verbatim quote with who said
    it, the source and a link to it in context, then our summary."""
    blocks = [
        _BLOCKS.get_or_build(
            # All a block shows that a scenario can change: the option chosen, whether it applies.
            (corpus.version, side_name, scenario_label, pos.id, pos.reports[0].chosen, pos.applies),
            lambda pos=pos: _position_block(corpus, side_name, pos, scenario_label),
        )
        for pos in by_term_then_strength_positions(corpus, items)
    ]
    return "\n\n---\n\n".join(blocks).replace(link_target(_PREFIX), link_target(prefix))


def _position_block(corpus: Corpus, side_name: str, pos, scenario_label: str) -> str:
    head = pos.reports[0]
    n = len(pos.sources)
    notes = [how_held(pos.strength, pos.certainty), f"reported by {_plural(n, 'source', 'sources')}"]
    lines = [f"**{md(head.term_label)}** · " + " · ".join(notes)]
    accepts = f"Accepts {options_text(corpus, pos.term, head.options)}; {scenario_label}: “{md(_option(corpus, pos.term, head.chosen))}”"
    if head.when:
        cond = " and ".join(f"{md(corpus.term(w.term).label)} is {options_text(corpus, w.term, w.options)}" for w in head.when)
        accepts += f" (only when {cond}" + ("" if pos.applies else ": not the case here, so it counts as met") + ")"
    lines.append(accepts)
    block = "  \n".join(lines)
    for r in pos.reports:
        src = corpus.sources.get(r.source)
        # The quote is the evidence: full-colour body text, before our summary (a Markdown
        # blockquote would draw it muted).
        block += (
            f"\n\n:gray[:material/format_quote:] {quoted(r.quote)}  \n"
            f"— {md(r.provenance.phrase(side_name))} · {md(src.label if src else r.source)} · {context_link(_PREFIX, r.source, r.id)}"
        )
        if r.certainty != pos.certainty and certainty_words(r.certainty):
            block += f"  \nThis report's hedge: {md(certainty_words(r.certainty))}"
        if r.reason:
            # Why the coding departs from a codebook rule for this report (ours), e.g. a
            # softer wording that takes its position's strength.
            block += f"  \n*Our coding note:* {md(r.reason)}"
    block += f"\n\n*Our summary:* {md(head.summary)}"
    return block


def details(corpus: Corpus, evaluation: Evaluation) -> None:
    """One side's positions in full: the side picked, then one Markdown block (heading, the red
    lines crossed or else the demands not met, the history folded in the browser, silence), the
    other demands not met in a section built only while open, and the positions met behind
    their toggle (`met=1` in the link).

    Not a fragment: Streamlit 1.67's browser ignores an address written during a fragment's own
    run, and `side=` / `met=` belong in the link."""
    by_id = {sd.id: sd for sd in evaluation.sides}

    def fmt(side_id: str) -> str:
        sd = by_id[side_id]
        n = len(sd.positions_crossed)
        return f":material/block: {md(sd.name)} ({n})" if n else md(sd.name)

    chosen = st.segmented_control(
        "Each side's positions in full, with their quotes (the number of its red lines crossed)",
        options=list(by_id),
        format_func=fmt,
        key=state.SIDE,
        required=True,
        persist_state="session",
    )
    sd = by_id.get(chosen or corpus.side_ids[0])
    if sd is None:
        return
    key = cached.key(evaluation.scenario)
    prefix = context_prefix(corpus)

    def listed(bucket: str) -> str:
        return _positions_cached(corpus, corpus.version, key, sd.id, bucket, prefix)

    crossed, unmet = sd.positions_crossed, sd.positions_unmet
    parts = [
        f"#### What {md(sd.name)} said, and where this scenario leaves it\n\n"
        "Each position: the term, how firmly the side holds it, how many sources report it and what it accepts; "
        "then each report's verbatim quote, who said it and the source; then our one-line summary."
    ]
    if crossed:
        parts.append(f":red[:material/block:] **Red lines crossed ({len(crossed)})**\n\n{listed('positions_crossed')}")
    elif unmet:  # no red line crossed: the demands not met are what matters most
        parts.append(f":orange[:material/close:] **Demands not met ({len(unmet)})**\n\n{listed('positions_unmet')}")
    if not crossed and not unmet and sd.positions_met:
        parts.append(f":green[:material/check_circle:] This scenario meets every position of {md(sd.name)} on record.")
    if sd.history:
        parts.append(
            layout.fold(
                f"Earlier positions of {sd.name} ({len(sd.history)}): history, not counted",
                # History is the same in every scenario, but for a condition's "applies here".
                _history_cached(corpus, corpus.version, key if any(d.when for d in sd.history) else (), sd.id).replace(
                    link_target(_PREFIX), link_target(prefix)
                ),
            )
        )
    if sd.silent_terms:
        names = ", ".join(corpus.term(t).label for t in sd.silent_terms)
        parts.append(f":small[:gray[Silent: the sources record no 2025 position of {md(sd.name)} on {len(sd.silent_terms)} terms: {md(names)}.]]")
    st.markdown("\n\n".join(parts), unsafe_allow_html=True)
    if crossed and unmet:
        # The red lines come first; the other demands not met are one click away, built only
        # when open (a list per scenario: sent folded on every run it cost more than the fold).
        box = layout.folded(f":orange[:material/close:] **Demands not met ({len(unmet)})**, each with its quotes", key=f"x_unmet_{sd.id}")
        if box is not None:
            box.markdown(listed("positions_unmet"))
    if sd.positions_met:
        n = len(sd.positions_met)
        if st.toggle(f"Show the {n} position{'s' if n != 1 else ''} it meets", key=state.SHOW_MET, persist_state="session"):
            st.markdown(f":green[:material/check:] **Positions met ({n})**\n\n{listed('positions_met')}")


@shared_lru(64)
def _history_cached(_corpus: Corpus, version: str, scenario: cached.ScenarioKey, side: str) -> str:
    """A side's earlier positions (history, not counted) as Markdown, per side, in `scenario`
    (() for the default: pass one only where a condition's wording needs it), with _PREFIX
    for the address of the view in its links."""
    history = cached.evaluation(_corpus, version, scenario or cached.key(_corpus.default_scenario())).side(side).history
    return "\n\n---\n\n".join(demand_markdown(_corpus, d, _PREFIX) for d in by_term_then_strength(_corpus, history))
