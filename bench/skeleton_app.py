"""The Build view's skeleton: the same elements and widgets a default-view rerun of app.py
draws (the sidebar's heading with the page style, preset, term groups and four term radios; the
header; the view and panel pickers; the cards, outcomes and positions as Markdown of about the
same size), with none of the app's own work. What Streamlit itself costs for that page:

    python bench/load.py --app bench/skeleton_app.py --sessions 1 --views build --mode query

Its server CPU per rerun is the least the default view can cost with the controls it has.
tests/test_load.py checks that it draws the same kinds of element, in the same order, as a
session opening app.py (bench/LOAD.md, "fifth pass").
"""

import streamlit as st

TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20  # ~1.1 kB
CSS = "<style>\n" + ".pte-x { color: #111; }\n" * 240 + "</style>\n\n"  # ~5.8 kB, as assets/*.css

sb = st.sidebar
sb.markdown(CSS + "### Build a scenario\n\n:small[" + TEXT[:200] + "]", unsafe_allow_html=True)
sb.selectbox("Start from", ["", "a", "b", "c", "d", "e", "f"], key="preset", help=TEXT[:300])
sb.segmented_control("Terms", ["core", "security", "politics", "economy", "process"], key="term_group",
                     default="core", required=True)
for i in range(4):
    sb.radio(f"Term {i}", [f"option {j} " + TEXT[:60] for j in range(4)], key=f"term_{i}", help=TEXT[:600])
with st.container(key="app_header", horizontal=True, vertical_alignment="center"):
    st.markdown("## Peace Terms Explorer\n\n:small[" + TEXT[:300] + "]", width="stretch")
    st.popover("Copy link · Download", key="share_box", on_change="rerun")
    st.toggle("Present mode", key="present")
st.segmented_control("View", ["build", "compare", "landscape", "sources", "method", "class", "guide"],
                     key="view", required=True, default="build", label_visibility="collapsed")
st.markdown("### Scenario\n\n" + TEXT * 6, unsafe_allow_html=True)  # the cards
st.pills("Apply what it would take to clear the red lines of", ["russia", "ukraine"], key="wwit_apply", help=TEXT[:400])
st.markdown(TEXT * 5, unsafe_allow_html=True)  # what analysts expect
st.segmented_control("Show", ["verdicts", "predictions", "chart", "scenario"], key="build_panel",
                     required=True, default="verdicts", label_visibility="collapsed")
st.segmented_control("Side", ["russia", "ukraine", "us", "europe"], key="side", required=True, default="russia")
st.markdown("#### What Russia said\n\n" + TEXT * 12, unsafe_allow_html=True)  # the positions
st.expander("Demands not met (3)", key="x_unmet", on_change="rerun")
st.toggle("Show the 5 positions it meets", key="show_met")
