"""The page shown when the curated data does not validate: the faults, not a traceback."""

from __future__ import annotations

import streamlit as st

from engine import Fault


def data_error(faults: tuple[Fault, ...]) -> None:
    st.title("Peace Terms Explorer")
    st.error(
        "The app cannot start: the curated data does not validate. "
        "Nothing is shown until every quote, source and reference checks out.",
        icon=":material/error:",
    )
    st.markdown(f"**{len(faults)} fault{'s' if len(faults) != 1 else ''}** (file:line: code id: what is wrong):")
    st.code("\n".join(str(f) for f in faults[:200]) + ("\n…" if len(faults) > 200 else ""), language=None, wrap_lines=True)
    st.caption("Maintainers: run `python -m engine validate`, fix the files it names, then restart the app (it reads the data once, when it starts).")
