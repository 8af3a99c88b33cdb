"""The negotiation landscape: every scenario at once, answered exactly without enumerating it.

The space is every combination of options across all terms (`Corpus.space_size()`; tens of
millions of scenarios on the real data). Nothing here loops over scenarios. It relies on two
facts about the data model:

1. **Every demand constrains one term.** Whether a scenario meets a demand depends only on its
   option for that term. So any sum over demands (red lines crossed, demand points met) is a
   sum of per-term tables, and any "crosses none of these red lines" set is a *product set*:
   per term, the options every one of those red lines accepts.
2. **Every prediction's full-match region is a product set too**: its conditions' options on
   their terms, every option elsewhere.

**Red lines are counted as positions.** Red lines of one side on one term that accept the same
options are one *position*, however many sources report it (the data often has the same red
line from two sources). Every count of red lines crossed here (closest compromises, the
histogram, the frontier's witnesses, "what would it take" and its costs) counts positions; each
position carries every report (id, quote, source). Demand points (and so satisfaction) count
every report, as on the scenario page. `red_lines` in the report is the number of reports,
`red_line_positions` the number of positions.

What is computed (all of it is ours: the project's arithmetic over the curated claims):

- **Zone of possible agreement** (`zopa`) for a set of sides: the scenarios crossing none of
  their red lines. Per term the allowed options are the intersection of the red lines' option
  sets; the count is the product of the sizes; it is empty iff one term's intersection is.
  Listed for each side alone, each pair, every set but one (who is the hold-out) and all sides.
- **Blockers**: the minimal (by inclusion) sets of red lines that no scenario can satisfy
  together. A red line constrains one term, so a minimal conflicting set lies within one term:
  it is a minimal cover of that term's options by the positions' *excluded* options. A blocker
  is a set of positions, and any one red line per position is a minimal conflicting set of red
  lines. A side set's zone is empty exactly when a blocker's sides are all in it; two red lines
  of the *same* side can conflict (sources disagree).
- **Closest compromises**: the scenarios with the lowest cost, lexicographic: first the number
  of red-line positions crossed (all sides), then the demand points left unmet (weights from
  `schema.STRENGTH_WEIGHT`: red line 3, demand 2, preference 1). The cost is a sum of per-term
  costs, so the optimum is the sum of per-term minima, the set of optimal scenarios is the
  product of the per-term argmin sets, and the k best come from an exact k-best merge of the
  per-term sorted costs (a heap over index vectors, each generated once). Among equal costs the
  term's default option comes first. `red_line_histogram` gives, exactly, how many scenarios
  cross 0, 1, 2, ... positions (a product of per-term generating polynomials).
- **Pareto frontier** of side satisfaction (each side's weighted demand points met, as in
  `evaluate`): dynamic programming over terms keeping only the non-dominated partial sums
  (one witness scenario each). Since the total is a sum over terms, a dominated partial sum can
  never complete to a non-dominated total, so the frontier is exact. The witness of each point
  crosses the fewest positions among all scenarios with exactly those satisfaction levels.
- **What would it take** (`what_would_it_take`): from a scenario, the fewest term changes that
  leave a side (or a set of sides) crossing none of its red lines, and what each change costs
  the other sides in positions and points (see the function for the proof that the count is
  minimal).
- **Where the analysts stand**: each prediction's region and its share of the space; each
  analyst's (exact) union of regions; **disagreements**: pairs of predictions by different
  analysts whose regions overlap *and* whose outcomes exclude each other
  (`Corpus.outcomes_exclude`, from scenarios/outcomes.yaml), with the size of the overlap and
  the overlapping scenario nearest a given one; the share of the space where a disagreement
  applies (`contested`). As context only, clearly apart: overlapping pairs whose outcomes
  differ but do not exclude each other (`compatible_pairs`; not disagreements), and the share
  of the space where two analysts merely predict different outcomes (`different_outcomes`).

`space_report(corpus)` is computed once per corpus object and cached: treat the
returned dict as read-only. Counts are Python ints (exact at any size).

Pure Python and numpy; never imports Streamlit.

The package, one module per seam: `index` (the per-term tables and their cache), `zones`
(zones, k-best, histogram, blockers), `frontier`, `wwit` (what would it take), `analysts`
(regions, unions, disagreements), `report` (`space_report`); `records` builds the report's
red-line records. The Markdown handout is engine/space_markdown.py (presentation).
"""

from .analysts import DISAGREEMENTS_MAX, disagreements
from .frontier import FRONTIER_LIST_MAX, nondominated
from .index import clear_cache
from .report import METHOD, OURS, space_report
from .wwit import what_would_it_take
from .zones import CLOSEST_K, ZONE_EXAMPLES, closest, k_best, zone

__all__ = [
    "CLOSEST_K",
    "DISAGREEMENTS_MAX",
    "FRONTIER_LIST_MAX",
    "METHOD",
    "OURS",
    "ZONE_EXAMPLES",
    "clear_cache",
    "closest",
    "disagreements",
    "k_best",
    "nondominated",
    "space_report",
    "what_would_it_take",
    "zone",
]
