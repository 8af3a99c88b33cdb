"""The links simulated students open: query strings from the URL contract (engine/query.py)."""

from __future__ import annotations

import random


class Scenarios:
    """Query strings: every preset, and random valid scenarios, via engine/query.py."""

    def __init__(self, seed: int, views: list[str]):
        self.rng = random.Random(seed)
        self.views = views
        self.corpus = None
        self.presets: list[str] = []
        self.problem = ""
        try:
            from engine.load import load_corpus
            from engine.query import to_query_string

            self.corpus = load_corpus()
            self.presets = list(self.corpus.preset_ids)
            self._to_qs = to_query_string
        except Exception as exc:  # the tool must still drive any app (e.g. hello-world)
            self.problem = f"engine not importable ({exc!r}): empty query strings"

    def _random_scenario(self) -> dict[str, str]:
        c = self.corpus
        return {t.id: self.rng.choice(t.option_ids) for t in c.terms}

    def query(self, k: int) -> str:
        """The k-th query string of a sequence: presets in turn, alternating with random ones."""
        if self.corpus is None:
            return f"run={k}"
        c = self.corpus
        if k % 2 == 0 and self.presets:
            preset = self.presets[(k // 2) % len(self.presets)]
            scenario = dict(c.preset(preset).scenario)
            if self.rng.random() < 0.5:  # a student tweaks one term of the preset
                t = self.rng.choice(c.terms)
                scenario[t.id] = self.rng.choice(t.option_ids)
            qs = self._to_qs(c, scenario, preset=preset)
        else:
            qs = self._to_qs(c, self._random_scenario())
        # most shared links open the first view; a single --views value pins every link to it
        if self.views and (len(self.views) == 1 or self.rng.random() < 0.5):
            qs += "&view=" + self.rng.choice(self.views)
        return qs

    def sequence(self, start: int, count: int) -> list[str]:
        return [self.query(start + k) for k in range(count)]
