"""Classroom mode: a class with a join code, groups' submitted deals, the class board, role
briefs, predict-then-reveal scores, discussion prompts and the debrief export.

Pure Python and SQLAlchemy Core; never imports Streamlit (components/classroom*.py draw it).
"""
