"""The Classroom view: start a class (teacher), join one as a group and submit the deal your side
could live with, or practise alone (predict, then reveal; nothing stored).

The group's deal is the scenario the sidebar's term controls hold. Everything a user typed is
shown escaped (components.text.md), never as Markdown or HTML.
"""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from classroom import predict
from classroom.board import expectation_label
from classroom.deals import deal_query, deal_title, validate_deal
from classroom.store import GROUP_NAME_MAX, RATIONALE_MAX, TITLE_MAX, ClassInfo, ClassNotFound, ClassroomError, ClassStore, Group
from engine import Corpus
from engine.evaluate import Evaluation

from . import cached, layout, state
from . import classroom_store as cs
from .text import app_link, blockquote, md
from .verdicts import VERDICT_WORDS

MODES = {"join": "Join a class", "start": "Start a class (teacher)", "alone": "Practise alone"}
MODE = "class_mode"
NO_SIDE = ""


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%H:%M UTC, %d %b")


def _links(code: str, key: str | None = None) -> dict[str, str]:
    base = state.base_url()
    out = {"group": app_link({state.P_VIEW: "class", state.P_CLASS: code}, base)}
    out["board"] = app_link({state.P_VIEW: "board", state.P_CLASS: code}, base)
    if key:
        out["teacher"] = app_link({state.P_VIEW: "board", state.P_CLASS: code, state.P_TEACHER: key}, base)
    return out


def find(store: ClassStore, code: str) -> ClassInfo | None:
    """The class a code names, or None with a plain notice (unknown, expired)."""
    try:
        return store.find_class(code)
    except ClassNotFound as exc:
        st.warning(f"Class {md(code)}: {md(str(exc))}", icon=":material/link_off:")
        return None


# --- Predict, then reveal (shared by the group's page and the practice) ------------------------


def guess_form(corpus: Corpus, prefix: str) -> dict:
    """Widgets for a guess of each side's verdict and of the outcomes analysts predict."""
    st.markdown("**Your guess first:** each side's verdict, and what analysts predict would follow.")
    cols = st.columns(len(corpus.sides))
    verdicts = {}
    for col, side in zip(cols, corpus.sides):
        with col:
            verdicts[side.id] = st.selectbox(
                md(side.name), options=["", *predict.VERDICTS],
                format_func=lambda v: VERDICT_WORDS.get(v, "—") if v else "— guess —",
                key=f"{prefix}_guess_{side.id}",
            )
    outcomes = st.multiselect(
        "Outcomes analysts predict for it",
        options=list(corpus.outcomes),
        format_func=lambda o: corpus.outcomes[o].label,
        key=f"{prefix}_guess_outcomes",
        help="An outcome counts when an analyst's own forecast has every one of its conditions met by the deal.",
    )
    return predict.make_guess(verdicts, outcomes)


def reveal(corpus: Corpus, ev: Evaluation, guess: dict | None) -> None:
    """The verdicts and the predicted outcomes, and the guess's score."""
    actual = predict.truth(ev)
    if guess and (guess.get("verdicts") or guess.get("outcomes")):
        sc = predict.score(guess, actual)
        st.success(f"Your score: **{sc.points} of {sc.out_of}** — {md(sc.words())}.", icon=":material/scoreboard:")
    lines = []
    for sd in ev.sides:
        g = (guess or {}).get("verdicts", {}).get(sd.id)
        mark = "" if not g else (" · :green[your guess ✓]" if g == sd.verdict else f" · :orange[you guessed {md(VERDICT_WORDS[g])}]")
        lines.append(f"- **{md(sd.name)}**: {md(VERDICT_WORDS[sd.verdict])}{mark}")
    st.markdown("**The verdicts**\n" + "\n".join(lines))
    forecasts = [p for p in ev.predictions if p.match >= 1 and p.own_forecast]
    others = [p for p in ev.predictions if p.match >= 1 and not p.own_forecast]
    guessed = set((guess or {}).get("outcomes") or ())
    if forecasts:
        by_outcome: dict[str, list] = {}
        for p in forecasts:
            by_outcome.setdefault(p.outcome, []).append(p)
        lines = [
            f"- **{md(ps[0].outcome_label)}** — {md(', '.join(dict.fromkeys(p.analyst_name for p in ps)))}"
            + (" · :green[you guessed it ✓]" if o in guessed else "")
            for o, ps in by_outcome.items()
        ]
        st.markdown("**What analysts forecast for it** (every condition holds)\n" + "\n".join(lines))
    else:
        st.markdown("**What analysts forecast for it:** no analyst's own forecast has every condition met.")
    if others:
        st.caption("Also matching in full, not scored: " + "; ".join(md(f"{p.outcome_label} ({expectation_label(p)})") for p in others))


def prompts_panel(corpus: Corpus, scenario: dict[str, str], key: str) -> None:
    """Discussion prompts for a deal, each folded with its quotes."""
    items = cs.prompts(corpus, corpus.version, cached.key(scenario))
    st.markdown("#### Questions for the discussion")
    st.caption("Generated from the data for this deal; open one for the quotes it rests on.")
    if not items:
        st.info("The data raises no question for this deal.")
        return
    icons = {"disagreement": ":material/forum:", "red_lines": ":material/block:", "flip": ":material/swap_horiz:", "attributed": ":material/record_voice_over:"}
    for i, pr in enumerate(items):
        box = layout.folded(f"{icons.get(pr.kind, '')} {md(pr.question)}", key=f"x_{key}_prompt_{i}")
        if box is None:
            continue
        with box:
            for ev in pr.evidence:
                if ev.note:
                    st.markdown(f"*Our summary:* {md(ev.note)}")
                st.markdown(blockquote(ev.quote))
                st.caption(f"{md(ev.who)} · Source: {md(ev.source)}")


def brief_panel(corpus: Corpus, side_id: str, key: str) -> None:
    """A side's role brief: folded in the app, and the printable page to download."""
    b = cs.brief(corpus, corpus.version, side_id)
    st.download_button(
        f"Download the role brief for {b.side_name} (printable HTML)",
        data=lambda: cs.brief_html(corpus, corpus.version, side_id),
        file_name=f"role-brief-{side_id}.html", mime="text/html", key=f"dl_brief_{key}_{side_id}",
        on_click="ignore", icon=":material/print:",
    )
    box = layout.folded(f"Read the role brief for {md(b.side_name)} here", key=f"x_brief_{key}_{side_id}")
    if box is None:
        return
    with box:
        for title, items in (("Red lines", b.red_lines), ("Demands and preferences", b.demands), ("The other sides on the same terms", b.others)):
            st.markdown(f"##### {title} ({len(items)})")
            for p in items:
                who = f"{md(p.side_name)} · " if p.side != side_id else ""
                cond = f"; {md(p.condition)}" if p.condition else ""
                st.markdown(f"**{who}{md(p.term_label)}** — {md(p.strength)}: accepts {md(p.accepts)}{cond}  \n*Our summary:* {md(p.summary)}")
                for r in p.reports:
                    st.markdown(blockquote(r.quote))
                    st.caption(f"{md(r.who)} · Source: {md(r.source)} · Certainty: {md(r.certainty)}")
        st.markdown(f"##### What analysts expect on these terms ({len(b.expectations)})")
        for x in b.expectations:
            st.markdown(f"**{md(x.outcome)}** — {md(x.label)}; if {md(x.conditions)}  \n*Our summary:* {md(x.summary)}")
            st.markdown(blockquote(x.quote))
            st.caption(f"Source: {md(x.source)} · Certainty: {md(x.certainty)}")


# --- Pages ---------------------------------------------------------------------------------------


def _start(corpus: Corpus, store: ClassStore) -> None:
    st.markdown("Start a class: you get a short **join code** for the groups and a private **teacher link** for the board.")
    title = st.text_input("Class name (no pupils' names needed)", max_chars=TITLE_MAX, key="class_title", placeholder="e.g. Year 12 politics, Tuesday")
    if st.button("Create the class", key="class_create", icon=":material/add:", type="primary"):
        if not cs.allowed("create"):
            return
        try:
            info, key = store.create_class(title or "Class")
        except ClassroomError as exc:
            st.warning(md(str(exc)))
            return
        st.session_state[state.CLASS_CODE] = info.code
        st.session_state[state.TEACHER_KEY] = key
        st.rerun()


def _teacher_panel(corpus: Corpus, info: ClassInfo) -> None:
    links = _links(info.code, st.session_state.get(state.TEACHER_KEY))
    st.success(f"Class **{md(info.title)}** is open. Join code: **{info.code}**", icon=":material/school:")
    st.markdown("**Your teacher link** — keep it to yourself; it opens the board with your controls:")
    st.code(links["teacher"], language=None, wrap_lines=True)
    st.markdown("**The link for the groups** (or the join code on the board):")
    st.code(links["group"], language=None, wrap_lines=True)
    st.button(
        "Open the class board here", key="class_to_board", icon=":material/co_present:", type="primary",
        on_click=lambda: st.session_state.update({state.VIEW: "board"}),
    )
    st.caption("Classes are kept for 30 days, then deleted; you can end or delete one from the board.")


def _join(corpus: Corpus, store: ClassStore) -> None:
    st.session_state.setdefault("class_join_code", st.session_state.get(state.CLASS_CODE, ""))
    with st.form("class_join_form", border=True):
        code = st.text_input("Class code", max_chars=12, key="class_join_code", placeholder="7 letters and digits")
        name = st.text_input("Group name (no personal names)", max_chars=GROUP_NAME_MAX, key="class_join_name", placeholder="e.g. Table 3")
        side = st.selectbox(
            "Your side", options=[NO_SIDE, *corpus.side_ids],
            format_func=lambda s: corpus.side(s).name if s else "Let the teacher assign one", key="class_join_side",
        )
        joined = st.form_submit_button("Join", icon=":material/login:", type="primary")
    st.caption("Nothing personal is asked or kept: a group name, the side, your deal and your reasons. Joining again with the same name continues that group.")
    if not joined:
        return
    if not cs.allowed("join"):
        return
    info = find(store, code)
    if info is None:
        return
    try:
        group = store.join(info.id, name, side or None)
    except ClassroomError as exc:
        st.warning(md(str(exc)), icon=":material/block:")
        return
    cs.remember_group(group)
    st.session_state[state.CLASS_CODE] = info.code
    st.rerun()


def _group(corpus: Corpus, store: ClassStore, info: ClassInfo, group: Group) -> None:
    side_name = corpus.side(group.side).name if group.side in corpus.side_ids else None
    st.markdown(f"#### Group “{md(group.name)}” in class {info.code}" + (f" · {md(side_name)}" if side_name else ""))
    if info.ended:
        st.info("The teacher has ended this class: the board and your deal stay for the debrief.", icon=":material/flag:")
    elif info.locked:
        st.info("The teacher has locked submissions for now.", icon=":material/lock:")

    st.markdown("##### 1 · Your side")
    current = group.side if group.side in corpus.side_ids else NO_SIDE
    chosen = st.selectbox(
        "Side", options=[NO_SIDE, *corpus.side_ids], index=[NO_SIDE, *corpus.side_ids].index(current),
        format_func=lambda s: corpus.side(s).name if s else "Not chosen yet", key=f"class_side_{group.id}_{current}",
        label_visibility="collapsed",
    )
    if chosen != current:
        try:
            store.set_side(info.id, group.id, chosen or None)
        except ClassroomError as exc:
            st.warning(md(str(exc)))
        st.rerun()
    if chosen:
        brief_panel(corpus, chosen, "group")

    scenario = state.scenario(corpus)
    ev = cached.evaluation(corpus, corpus.version, cached.key(scenario))
    st.markdown("##### 2 · Build the deal your side could live with")
    st.markdown(f"Your deal is the scenario in the sidebar: **{md(deal_title(corpus, scenario))}**")
    st.caption("Change any term in the sidebar (start from a preset if you like). The verdicts stay hidden here until you have guessed.")

    mine = next((s for s in store.submissions(info.id) if s.group_id == group.id), None)
    st.markdown("##### 3 · Guess, give your reasons, submit")
    guess = guess_form(corpus, "class")
    rationale = st.text_area(
        f"Why {md(side_name) if side_name else 'your side'} could live with this deal (at most {RATIONALE_MAX} characters)",
        max_chars=RATIONALE_MAX, key="class_rationale", height=100,
    )
    if st.button("Submit our deal", key="class_submit", icon=":material/send:", type="primary", disabled=info.locked or info.ended):
        if cs.allowed("submit"):
            deal, problems = validate_deal(corpus, deal_query(corpus, scenario))
            if deal is None:
                st.warning("This deal cannot be submitted: " + md("; ".join(problems)))
            else:
                try:
                    mine = store.submit(info.id, group.id, deal_query(corpus, deal), rationale, predict.clean_guess(corpus, guess))
                    st.toast("Submitted: it is on the board.", icon=":material/check:")
                except ClassroomError as exc:
                    st.warning(md(str(exc)), icon=":material/block:")

    if mine is not None:
        st.markdown("##### 4 · On the board")
        st.markdown(f"Submitted at {_when(mine.submitted_at)}: **{md(deal_title(corpus, validate_deal(corpus, mine.scenario)[0] or scenario))}**")
        if mine.rationale:
            st.markdown(f"*Your reasons:* {md(mine.rationale)}")
        if info.reveal:
            sub_sc, _ = validate_deal(corpus, mine.scenario)
            if sub_sc:
                sub_ev = cached.evaluation(corpus, corpus.version, cached.key(sub_sc))
                reveal(corpus, sub_ev, mine.guess)
                prompts_panel(corpus, sub_sc, "group")
        else:
            st.info("The teacher reveals the verdicts on the board.", icon=":material/visibility_off:")
    if st.button("Leave this class", key="class_leave", icon=":material/logout:"):
        cs.forget_group()
        st.session_state[state.CLASS_CODE] = ""
        st.rerun()


def _alone(corpus: Corpus) -> None:
    scenario = state.scenario(corpus)
    key = cached.key(scenario)
    st.markdown(f"Guess first, then reveal: the scenario in the sidebar, **{md(deal_title(corpus, scenario))}**. Nothing is stored.")
    guess = guess_form(corpus, "alone")
    if st.button("Reveal", key="alone_reveal", icon=":material/visibility:", type="primary"):
        st.session_state["_alone_revealed"] = key
    if st.session_state.get("_alone_revealed") == key:
        reveal(corpus, cached.evaluation(corpus, corpus.version, key), guess)
        prompts_panel(corpus, scenario, "alone")
    else:
        st.caption("Change the scenario in the sidebar and the answers hide again.")


def render(corpus: Corpus) -> None:
    st.markdown("### Classroom")
    code = st.session_state.get(state.CLASS_CODE, "")
    teacher = st.session_state.get(state.TEACHER_KEY, "")
    store = cs.store()
    if store is None:
        _alone(corpus)
        return
    info = find(store, code) if code else None
    if code and info is None:
        st.session_state[state.CLASS_CODE] = ""
        st.session_state[state.TEACHER_KEY] = ""
        cs.forget_group()
    if info is not None and teacher:
        if store.is_teacher(info.id, teacher):
            _teacher_panel(corpus, info)
            return
        st.warning("This teacher link's key does not match the class: you see the page a group sees.", icon=":material/key_off:")
        st.session_state[state.TEACHER_KEY] = ""
    if info is not None:
        group = cs.my_group(store, info.id)
        if group is not None:
            _group(corpus, store, info, group)
            return
    st.session_state.setdefault(MODE, "join")
    mode = layout.panel_picker(MODES, MODE, "Classroom")
    if mode == "start":
        _start(corpus, store)
    elif mode == "alone":
        _alone(corpus)
    else:
        _join(corpus, store)
