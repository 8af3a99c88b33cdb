"""Peace Terms Explorer: `streamlit run app.py`. Wires the engine's results to the page's parts."""

from __future__ import annotations

import streamlit as st

from components import build, cached, errors, layout, sidebar, share, state
from components.text import md
from engine import Corpus

# The icon is a file the app serves itself (no font or emoji CDN: it shows offline). "auto"
# starts the sidebar closed on a phone, so a shared link shows the result first. Sent on a
# session's first run only: the browser keeps the page's title, icon and layout until the page
# is loaded again (a new session), and every message a rerun saves counts for a whole class.
if "_page_config_sent" not in st.session_state:
    st.set_page_config(
        page_title="Peace Terms Explorer",
        page_icon=layout.ICON_URL,
        layout="wide",
        # The class board is for a projector: no sidebar.
        initial_sidebar_state="collapsed" if st.query_params.get("view") == "board" else "auto",
    )
    st.session_state["_page_config_sent"] = True

loaded = cached.corpus_or_faults()
if isinstance(loaded, tuple):
    errors.data_error(loaded)
    st.stop()
corpus = loaded


def main(corpus: Corpus) -> None:
    """The page for this run: the address applied, the sidebar, the header, the view chosen,
    then the address written."""
    state.sync(corpus)
    state.apply_pending(corpus)
    if st.session_state[state.VIEW] == "board":
        from components import classroom_board

        classroom_board.render(corpus)
        state.write_url(corpus)
        return
    presenting = state.present(corpus)
    # The sidebar is drawn in present mode too (hidden by the style): its widgets hold the
    # scenario, and its heading carries the page's style.
    sidebar.render(corpus, style=layout.page_style(presenting))

    if presenting:
        # One row that wraps at any zoom: the stepper, the link, the way out of present mode.
        with st.container(horizontal=True, vertical_alignment="center", key="present_bar"):
            layout.preset_stepper(corpus)
            share.render(corpus)
            layout.present_toggle()
    else:
        # One row (a keyed horizontal container: app.css lets the actions drop under the title when
        # the row is narrow, zoomed in or on a phone); no columns, so four elements in all.
        with st.container(key="app_header", horizontal=True, vertical_alignment="center"):
            st.markdown(
                "## Peace Terms Explorer\n\n:small[What each side of the 2025 talks on ending the war in Ukraine said it "
                "wants, and what analysts expect would follow. Every claim shows its verbatim quote and source; text "
                "marked “our” is the project's wording.]",
                width="stretch",
            )
            share.render(corpus)
            layout.present_toggle()

    problems = st.session_state.get(state.PROBLEMS)
    if problems:
        # The problems quote the link: escaped, so a link cannot write Markdown into the page.
        st.warning(
            "Some of this link could not be used, so the nearest valid view is shown:\n"
            + "\n".join(f"- {md(p)}" for p in problems),
            icon=":material/link_off:",
        )
        st.button("Dismiss", key="dismiss_problems", on_click=lambda: st.session_state.update({state.PROBLEMS: []}))

    view = layout.panel_picker(state.VIEWS, state.VIEW, "View")

    if view == "compare":
        from components import compare

        compare.render(corpus)
    elif view == "landscape":
        from components import landscape_view

        landscape_view.render(corpus, state.scenario(corpus))
    elif view == "sources":
        from components import sources

        sources.render(corpus)
    elif view == "method":
        from components import method

        method.render(corpus)
    elif view == "class":
        from components import classroom

        classroom.render(corpus)
    elif view == "guide":
        from components import classroom_guide

        classroom_guide.render(corpus)
    else:
        build.render(corpus)

    state.write_url(corpus)


try:
    main(corpus)
finally:
    state.end_run()  # however the run ends (st.stop, st.rerun, an error)
