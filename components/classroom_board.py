"""The class board for the projector: every group's deal side by side, refreshing itself.

Large text (22 px and up), no sidebar. The deals part is an st.fragment that reruns every
REFRESH_S seconds and reads the store afresh, so new deals appear without anyone clicking.
With the teacher key (the teacher's own link), the teacher's controls sit above it: reveal or
hide the verdicts, lock submissions, remove a deal, end or delete the class, export it.
"""

from __future__ import annotations

import streamlit as st

from classroom.board import Board, build_board, expectation_label
from classroom.export import board_csv, debrief_html
from classroom.store import ClassInfo, ClassNotFound, ClassroomError, ClassStore
from engine import Corpus

from . import cached, state
from . import classroom as cv
from . import classroom_store as cs
from .text import md
from .verdicts import VERDICT_STYLE

REFRESH_S = 4
COLUMNS = 3

PRESENT_CSS = """
<style>
.st-key-class_board, .st-key-class_board p, .st-key-class_board li, .st-key-class_board label,
.st-key-class_board [data-testid="stMarkdownContainer"], .st-key-class_board [data-testid="stCaptionContainer"],
.st-key-class_board button, .st-key-class_board [data-testid="stAlertContentInfo"] { font-size: 22px !important; line-height: 1.35; }
.st-key-class_board h1 { font-size: 46px !important; }
.st-key-class_board h2 { font-size: 36px !important; }
.st-key-class_board h3 { font-size: 30px !important; }
.st-key-class_board h4 { font-size: 26px !important; }
</style>
"""


def _leave() -> None:
    st.session_state[state.VIEW] = "class"


def _controls(corpus: Corpus, store: ClassStore, info: ClassInfo, key: str) -> None:
    """The teacher's controls (the key is checked again by the store on every change)."""

    def change(**flags) -> None:
        try:
            store.update_class(info.id, key, **flags)
        except ClassroomError as exc:
            st.session_state["_board_notice"] = str(exc)

    with st.container(horizontal=True, key="board_controls"):
        if info.reveal:
            st.button("Hide the verdicts", key="board_hide", icon=":material/visibility_off:", on_click=change, kwargs={"reveal": False})
        else:
            st.button("Reveal the verdicts", key="board_reveal", icon=":material/visibility:", type="primary", on_click=change, kwargs={"reveal": True})
        if info.locked:
            st.button("Unlock submissions", key="board_unlock", icon=":material/lock_open:", on_click=change, kwargs={"locked": False})
        else:
            st.button("Lock submissions", key="board_lock", icon=":material/lock:", on_click=change, kwargs={"locked": True})
        if not info.ended:
            st.button("End the class", key="board_end", icon=":material/flag:", on_click=change, kwargs={"ended": True, "locked": True})
        board = _board(corpus, store, info)
        stem = f"class-{info.code}"
        st.download_button("Export CSV", data=lambda: board_csv(corpus, info, _board(corpus, store, info)), file_name=f"{stem}.csv",
                           mime="text/csv", key="board_csv", on_click="ignore", icon=":material/table:")
        st.download_button("Debrief (printable)", data=lambda: _debrief(corpus, store, info), file_name=f"{stem}-debrief.html",
                           mime="text/html", key="board_debrief", on_click="ignore", icon=":material/print:")
        with st.popover("More", icon=":material/more_horiz:"):
            subs = {d.submission.id: d.submission.group_name for d in board.deals}
            if subs:
                sid = st.selectbox("Remove a group's deal", options=list(subs), format_func=subs.get, key="board_remove_pick")
                if st.button("Remove this deal", key="board_remove", icon=":material/delete:"):
                    store.remove_submission(info.id, key, sid)
                    st.rerun()
            groups = {g.id: g for g in store.groups(info.id)}
            if groups:
                gid = st.selectbox("Give a group a side", options=list(groups), format_func=lambda g: groups[g].name, key="board_side_group")
                side = st.selectbox("Side", options=list(corpus.side_ids), format_func=lambda x: corpus.side(x).name, key="board_side_pick")
                if st.button("Give this side", key="board_side_set", icon=":material/assignment_ind:"):
                    store.set_side(info.id, gid, side, key=key)
                    st.toast(f"{groups[gid].name} plays {corpus.side(side).name}.")
            sure = st.checkbox("I want to delete this class and every deal in it", key="board_delete_sure")
            if st.button("Delete the class", key="board_delete", icon=":material/delete_forever:", disabled=not sure):
                store.delete_class(info.id, key)
                st.session_state[state.CLASS_CODE] = ""
                st.session_state[state.TEACHER_KEY] = ""
                st.rerun()
        st.button("Leave the board", key="board_leave", icon=":material/arrow_back:", on_click=_leave)
    notice = st.session_state.pop("_board_notice", None)
    if notice:
        st.warning(md(notice))


def _board(corpus: Corpus, store: ClassStore, info: ClassInfo) -> Board:
    return build_board(corpus, store.submissions(info.id), cs.evaluator(corpus))


def _debrief(corpus: Corpus, store: ClassStore, info: ClassInfo) -> str:
    board = _board(corpus, store, info)
    prompts = ()
    if board.closest:
        prompts = cs.prompts(corpus, corpus.version, cached.key(board.deals[board.closest[0]].scenario))
    return debrief_html(corpus, info, board, prompts)


def _verdict_line(sd, shown: bool) -> str:
    if not shown:
        return f"{md(sd.name)}: ▒▒▒"
    colour, icon, words = VERDICT_STYLE.get(sd.verdict, ("gray", ":material/help:", sd.verdict_label))
    n = len(sd.positions_crossed)
    extra = f" ({n})" if n else ""
    return f"{md(sd.name)}: :{colour}[{icon} {words}{extra}]"


def _deals(corpus: Corpus, info: ClassInfo, board: Board) -> None:
    shown = info.reveal
    for start in range(0, len(board.deals), COLUMNS):
        cols = st.columns(COLUMNS)
        for col, i in zip(cols, range(start, min(start + COLUMNS, len(board.deals)))):
            d = board.deals[i]
            sub = d.submission
            side = corpus.side(sub.side).name if sub.side in corpus.side_ids else "no side yet"
            star = " ★" if shown and i in board.closest else ""
            with col, st.container(border=True, key=f"deal_{sub.group_id}"):
                st.markdown(f"#### {md(sub.group_name)}{star}", anchors=False)
                st.markdown(f"*{md(side)}* · {md(d.title)}")
                if sub.rationale:
                    st.markdown(f"“{md(sub.rationale)}”")
                st.markdown("  \n".join(_verdict_line(sd, shown) for sd in d.evaluation.sides))
                if shown:
                    outcomes = list(dict.fromkeys(p.outcome_label for p in d.forecasts))
                    st.markdown("**Analysts forecast:** " + (md("; ".join(outcomes)) if outcomes else "nothing in full"))
                    if d.other_expectations:
                        st.caption("Not their own forecast: " + "; ".join(md(f"{p.outcome_label} ({expectation_label(p)})") for p in d.other_expectations))
                    if d.guess_score:
                        st.caption(f"Their guess: {d.guess_score.points} of {d.guess_score.out_of} points")


def _summary(corpus: Corpus, info: ClassInfo, board: Board) -> None:
    n = len(board.deals)
    if not info.reveal:
        guessed = board.tally.groups
        st.markdown(f"**{n} deal{'s' if n != 1 else ''} in**, {guessed} with a guess. Verdicts hidden: guess first.")
        return
    if board.all_accept:
        names = ", ".join(board.deals[i].submission.group_name for i in board.all_accept)
        st.markdown(f":green[:material/handshake:] **All four sides could accept:** {md(names)}")
    elif board.closest:
        names = ", ".join(board.deals[i].submission.group_name for i in board.closest)
        k = board.fewest_crossed
        st.markdown(f"★ **Closest to a deal all four could accept:** {md(names)} ({k} red line{'s' if k != 1 else ''} crossed in total)")
    pairs = [(a, b, ix) for (a, b), ix in board.pairs.items() if ix]
    if pairs:
        lines = [
            f"- {md(corpus.side(a).name)} + {md(corpus.side(b).name)}: {md(', '.join(board.deals[i].submission.group_name for i in ix))}"
            for a, b, ix in pairs
        ]
        st.markdown("**Two sides could both accept** (neither crosses a red line):\n" + "\n".join(lines))
    else:
        st.markdown("**No deal on the board is acceptable to any two sides** (each crosses a red line of one of them).")
    if board.tally.groups:
        st.markdown(f"**Predict, then reveal:** {md(board.tally.words())}")


def render(corpus: Corpus) -> None:
    st.html(PRESENT_CSS)
    code = st.session_state.get(state.CLASS_CODE, "")
    problems = st.session_state.get(state.PROBLEMS)
    with st.container(key="class_board"):
        if problems:
            st.warning("Some of this link could not be used:\n" + "\n".join(f"- {md(p)}" for p in problems), icon=":material/link_off:")
        store = cs.store()
        info = cv.find(store, code) if (store is not None and code) else None
        if info is None:
            if not code:
                st.info("No class is open on this board: start or join one on the Classroom page.", icon=":material/school:")
            st.button("Go to the Classroom page", key="board_leave", icon=":material/arrow_back:", on_click=_leave)
            return
        key = st.session_state.get(state.TEACHER_KEY, "")
        teacher = bool(key) and store.is_teacher(info.id, key)
        if key and not teacher:
            st.warning("This teacher link's key does not match the class: the board is shown without the teacher's controls.", icon=":material/key_off:")
            st.session_state[state.TEACHER_KEY] = ""
        st.markdown(f"# {md(info.title)}", anchors=False)
        join = cv._links(info.code)["group"]
        st.markdown(f"## Join code: **{info.code}**", anchors=False)
        st.caption(f"Groups open {md(join)} or the Classroom page and type the code.")
        if teacher:
            _controls(corpus, store, info, key)
        else:
            st.button("Leave the board", key="board_leave", icon=":material/arrow_back:", on_click=_leave)
        _live(corpus, store, info.code)


@st.fragment(run_every=REFRESH_S)
def _live(corpus: Corpus, store: ClassStore, code: str) -> None:
    try:
        info = store.find_class(code)
    except ClassNotFound as exc:
        st.warning(md(str(exc)), icon=":material/link_off:")
        return
    board = _board(corpus, store, info)
    flags = []
    if info.ended:
        flags.append(":material/flag: The class has ended.")
    elif info.locked:
        flags.append(":material/lock: Submissions are locked.")
    if flags:
        st.markdown(" ".join(flags))
    if board.skipped:
        st.caption(f"Not shown, their deal no longer reads with today's data: {md(', '.join(board.skipped))}")
    if not board.deals:
        st.info(f"No deal yet. Groups join with the code {info.code} and submit their side's deal.", icon=":material/hourglass_empty:")
        return
    _summary(corpus, info, board)
    _deals(corpus, info, board)
    if info.reveal and board.closest:
        d = board.deals[board.closest[0]]
        st.markdown(f"### Discuss: {md(d.submission.group_name)}'s deal", anchors=False)
        cv.prompts_panel(corpus, d.scenario, "board")
