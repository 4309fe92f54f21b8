"""Charts as SVG: well-formed, labelled for screen readers, and drawn where the numbers say;
the goals view's chart of a measured commitment."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from services.reporting.reports.goals.builder import period_label
from services.reporting.reports.goals.html import measurement_chart
from services.reporting.reports.goals.view import CommitmentView, Measured, TargetView
from services.reporting.reports.shared.attainment import Attainment, Result
from services.reporting.reports.shared.bar_chart import BAR_LEFT, BAR_RIGHT, bar_chart
from services.reporting.reports.shared.charts import (
    NO_VALUES,
    Axis,
    Bar,
    Reference,
    Series,
    scale_of,
)
from services.reporting.reports.shared.formatting import format_number, format_tkr
from services.reporting.reports.shared.line_chart import (
    LINE_BOTTOM,
    LINE_LEFT,
    LINE_RIGHT,
    LINE_TOP,
    line_chart,
)

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
NUMBERS = Axis("antal", format_number)
TKR = Axis("tkr", format_tkr, D(1000))


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def labelled(root: ET.Element) -> tuple[str, str]:
    """The title and desc the SVG says it is labelled by (and that they are there)."""
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id
    assert desc is not None and desc.get("id") == desc_id
    return title.text or "", desc.text or ""


def points(root: ET.Element) -> dict[str, tuple[float, float]]:
    """Each marked point's value → its centre."""
    found = {}
    for circle in root.iter(f"{SVG}circle"):
        if circle.get("class") == "point":
            found[circle.get("data-value") or ""] = (
                float(circle.get("cx") or "nan"),
                float(circle.get("cy") or "nan"),
            )
    return found


def zero_line_y(root: ET.Element) -> float:
    lines = [line for line in root.iter(f"{SVG}line") if line.get("class") == "zero"]
    assert len(lines) == 1
    assert lines[0].get("y1") == lines[0].get("y2")
    return float(lines[0].get("y1") or "nan")


def bars(root: ET.Element) -> dict[str, tuple[float, float]]:
    """Each bar's label → its left and right edge."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "bar":
            rect = group.find(f"{SVG}rect")
            assert rect is not None
            x, width = float(rect.get("x") or "nan"), float(rect.get("width") or "nan")
            assert width >= 0
            found[group.get("data-label") or ""] = (x, x + width)
    return found


def test_the_scale_has_round_ends_and_steps_and_zero_where_asked() -> None:
    scale = scale_of([D("3"), D("97")], NUMBERS)
    assert (scale.low, scale.high, scale.step) == (D(0), D(100), D(20))
    assert scale.ticks == (D(0), D(20), D(40), D(60), D(80), D(100))
    negative = scale_of([D("-130"), D("480")], NUMBERS, ticks=4)
    # 610 in about 4 steps: 152,5 rounds up to 200.
    assert (negative.low, negative.high, negative.step) == (D(-200), D(600), D(200))
    assert D(0) in negative.ticks
    measured = scale_of([D("63"), D("70")], Axis("", format_number, include_zero=False))
    assert measured.low == D(62) and measured.high == D(70) and measured.step == D(2)


def test_the_scale_never_collapses() -> None:
    for values, axis in (
        ([], NUMBERS),
        ([D(0), D(0)], NUMBERS),
        ([D(5)], Axis("", format_number, include_zero=False)),
        ([D("-0.004")], NUMBERS),
        ([D("1E+20")], TKR),
    ):
        scale = scale_of(values, axis)
        assert scale.low < scale.high and scale.step > 0
        assert all(scale.low <= v <= scale.high for v in values)
    # In tkr no two ticks may print alike: steps are whole thousands of kronor at least.
    small = scale_of([D("250"), D("-400")], TKR)
    assert small.step == D(1000)
    labels = [format_tkr(tick) for tick in small.ticks]
    assert len(set(labels)) == len(labels)


def test_a_line_chart_parses_and_has_its_title_and_every_value_in_its_text() -> None:
    root = parsed(
        line_chart(
            "utveckling",
            "Nettokostnad 2011",
            "Summerat från januari.",
            ["jan", "feb", "mar"],
            [
                Series("Utfall", [D("-1000000"), D("-2000000")]),
                Series("Budget", [D("-900000")] * 3),
            ],
            TKR,
        )
    )
    title, desc = labelled(root)
    assert title == "Nettokostnad 2011"
    assert desc.startswith("Summerat från januari.")
    assert "Utfall: jan -1 000, feb -2 000." in desc
    assert "Budget: jan -900, feb -900, mar -900." in desc


def test_the_highest_point_is_at_the_top_and_zero_at_the_bottom() -> None:
    root = parsed(
        line_chart("t", "T", "", ["a", "b", "c"], [Series("S", [D(0), D(50), D(100)])], NUMBERS)
    )
    at = points(root)
    assert at["100"][1] == LINE_TOP
    assert at["0"][1] == LINE_BOTTOM == zero_line_y(root)
    assert at["50"][1] == (LINE_TOP + LINE_BOTTOM) / 2
    # Left to right in the order given, inside the plotting area.
    xs = [at[v][0] for v in ("0", "50", "100")]
    assert xs == sorted(xs) and LINE_LEFT < xs[0] and xs[-1] < LINE_RIGHT


def test_negative_values_lie_below_the_zero_line() -> None:
    root = parsed(line_chart("t", "T", "", ["a", "b"], [Series("S", [D(-40), D(60)])], NUMBERS))
    at = points(root)
    zero = zero_line_y(root)
    assert LINE_TOP < zero < LINE_BOTTOM
    assert at["-40"][1] == LINE_BOTTOM  # -40 is the lowest tick
    assert at["60"][1] == LINE_TOP
    # Equal steps are equal distances: 0 lies 40/100 of the way up from -40.
    assert abs((LINE_BOTTOM - zero) - (LINE_BOTTOM - LINE_TOP) * 0.4) < 0.1


def test_a_reference_line_lies_at_its_value() -> None:
    root = parsed(
        line_chart(
            "t",
            "T",
            "",
            ["2010", "2011"],
            [Series("Totalt", [D(64), D(66)])],
            Axis("", format_number, include_zero=False),
            [Reference("Målnivå", D(70)), Reference("Utgångsvärde", D(62))],
        )
    )
    levels = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "reference":
            line = group.find(f"{SVG}line")
            assert line is not None
            levels[group.get("data-name")] = float(line.get("y1") or "nan")
    # 62 and 70 are the ends of the scale, so the levels frame the chart.
    assert levels == {"Målnivå": LINE_TOP, "Utgångsvärde": LINE_BOTTOM}
    assert "Målnivå: 70." in labelled(root)[1]


def test_a_series_can_start_from_another_ones_point_without_claiming_it() -> None:
    root = parsed(
        line_chart(
            "t",
            "T",
            "",
            ["jan", "feb", "mar"],
            [Series("Utfall", [D(10), D(20)]), Series("Prognos", [None, None, D(40)], (1, D(20)))],
            NUMBERS,
        )
    )
    forecast = next(g for g in root.iter(f"{SVG}g") if g.get("data-name") == "Prognos")
    polyline = forecast.find(f"{SVG}polyline")
    assert polyline is not None and len((polyline.get("points") or "").split()) == 2
    marked = [e for e in forecast if e.get("class") == "point"]
    assert [e.get("data-value") for e in marked] == ["40"]
    assert "Prognos: mar 40." in labelled(root)[1]


def test_a_single_point_sits_in_the_middle_and_draws_no_line() -> None:
    root = parsed(line_chart("t", "T", "", ["2010-06"], [Series("Totalt", [D(2)])], NUMBERS))
    at = points(root)
    assert list(at) == ["2"]
    assert at["2"][0] == (LINE_LEFT + LINE_RIGHT) / 2
    assert LINE_TOP <= at["2"][1] <= LINE_BOTTOM
    assert root.find(f".//{SVG}polyline") is None


def test_all_zero_and_empty_inputs_draw_without_failing() -> None:
    zeros = parsed(line_chart("t", "T", "", ["a", "b"], [Series("S", [D(0), D(0)])], TKR))
    assert all(y == LINE_BOTTOM for _, y in points(zeros).values())
    for empty in (
        line_chart("t", "Tomt", "Inget mätt.", [], [], TKR),
        line_chart("t", "Tomt", "", ["a"], [Series("S", [None])], TKR),
        line_chart("t", "Tomt", "", ["a"], [Series("S", [D("NaN")])], TKR),
        bar_chart("t", "Tomt", "", [], TKR),
    ):
        root = parsed(empty)
        title, desc = labelled(root)
        assert title == "Tomt" and NO_VALUES in desc
        assert not points(root) and not bars(root)
        assert NO_VALUES in "".join(root.itertext())


def test_bars_go_left_and_right_of_zero_and_the_longest_reaches_the_end() -> None:
    root = parsed(
        bar_chart(
            "avvikelse",
            "Avvikelse",
            "Utfall minus budget.",
            [Bar("IT-kontor", D("-100000")), Bar("Staben", D("400000")), Bar("Kansliet", D(0))],
            TKR,
        )
    )
    drawn = bars(root)
    zero = drawn["Kansliet"][0]
    assert drawn["Kansliet"] == (zero, zero)
    assert drawn["IT-kontor"][1] == zero and drawn["IT-kontor"][0] < zero
    assert drawn["Staben"][0] == zero and drawn["Staben"][1] == BAR_RIGHT
    assert BAR_LEFT <= drawn["IT-kontor"][0]
    # Sizes in proportion: 100 against 400.
    left = zero - drawn["IT-kontor"][0]
    right = drawn["Staben"][1] - zero
    assert abs(left * 4 - right) < 0.5
    title, desc = labelled(root)
    assert title == "Avvikelse"
    assert desc == "Utfall minus budget. IT-kontor: -100; Staben: 400; Kansliet: 0."


def test_only_negative_bars_end_at_zero_on_the_right() -> None:
    drawn = bars(parsed(bar_chart("t", "T", "", [Bar("A", D(-3000)), Bar("B", D(-1000))], TKR)))
    assert drawn["A"] == (BAR_LEFT, BAR_RIGHT)
    assert drawn["B"][1] == BAR_RIGHT


def test_names_are_escaped_everywhere() -> None:
    name = '<script>alert("x")</script> & Co'
    markups = (
        bar_chart("t", name, name, [Bar(name, D(5000))], TKR),
        line_chart(
            name, name, name, [name], [Series(name, [D(1)])], NUMBERS, [Reference(name, D(2))]
        ),
    )
    for markup in markups:
        assert "<script>" not in markup
        root = parsed(markup)  # escaped well enough for XML, too
        title, desc = labelled(root)
        assert title == name and name in desc
        assert name in "".join(root.itertext())
        assert all((e.get("id") or "a").replace("-", "").isalnum() for e in root.iter())


def test_a_long_name_is_shortened_on_the_bar_but_whole_in_the_text() -> None:
    name = "Förvaltningen för samhällsbyggnad, miljö och hälsoskydd"
    root = parsed(bar_chart("t", "T", "", [Bar(name, D(1000))], TKR))
    shown = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert any(text.endswith("…") and name.startswith(text[:-1]) for text in shown)
    assert name in labelled(root)[1]


def _commitment(kind: str, by_gender: bool, history: tuple[Measured, ...]) -> CommitmentView:
    return CommitmentView(
        unit_code="KLF",
        unit_name="Kommunledningsförvaltningen",
        goal_id="g",
        goal_title="Mål",
        perspective_id="p",
        perspective="Perspektiv",
        commitment_id="c<1>",
        kind=kind,
        text="Andel som oroar sig",
        by_gender=by_gender,
        baseline=Measured("2009", D(58), None, None, "SCB"),
        target=TargetView("less_than", "mindre än", D(61), "percent", 2011, None),
        latest=history[-1] if history else None,
        assessment=None,
        attainment=Result(Attainment.NOT_MET),
        rule="",
        history=history,
    )


def test_a_measured_key_figure_is_drawn_with_its_periods_baseline_and_target() -> None:
    history = (
        Measured("2010", D(59), D(57), D(62), "SCB"),
        Measured("2011-interim", None, None, None, "SCB"),  # nothing to draw for it
        Measured("2011", D(60), D(58), D(63), "SCB"),
    )
    chart = measurement_chart(_commitment("key_figure", True, history))
    assert chart is not None
    root = parsed(chart.svg)
    desc = labelled(root)[1]
    assert "Totalt: 2010 59 %, 2011 60 %." in desc
    assert "Kvinnor: 2010 57 %, 2011 58 %." in desc and "Män: 2010 62 %, 2011 63 %." in desc
    assert "Utgångsvärde 2009: 58 %." in desc and "Målnivå (mindre än): 61 %." in desc
    assert sorted(points(root)) == ["59", "60"]  # totals as circles; women and men otherwise
    assert root.get("id") == "matvarden-c-1-"
    without_gender = measurement_chart(_commitment("key_figure", False, history))
    assert without_gender is not None and "Kvinnor" not in labelled(parsed(without_gender.svg))[1]
    assert period_label("2011-interim") == "2011 delår" and period_label("2011-06") == "2011-06"


def test_nothing_is_drawn_for_an_activity_or_where_nothing_is_measured() -> None:
    measured = (Measured("2011", D(60), None, None, "SCB"),)
    assert measurement_chart(_commitment("activity", False, measured)) is None
    assert measurement_chart(_commitment("key_figure", False, ())) is None
    empty = (Measured("2011", None, None, None, "SCB"),)
    assert measurement_chart(_commitment("key_figure", False, empty)) is None


def test_a_series_without_values_is_left_out_and_the_others_keep_their_looks() -> None:
    def legend(series: list[Series]) -> dict[str, str]:
        root = parsed(line_chart("t", "T", "", ["a", "b"], series, NUMBERS))
        found = {}
        for group in root.iter(f"{SVG}g"):
            if group.get("class") == "legend":
                line = group.find(f"{SVG}line")
                text = group.find(f"{SVG}text")
                assert line is not None and text is not None
                found[text.text or ""] = line.get("stroke-dasharray") or "solid"
        return found

    full = legend([Series("Utfall", [D(1), D(2)]), Series("Budget", [D(1), D(1)])])
    without = legend([Series("Utfall", [None, None]), Series("Budget", [D(1), D(1)])])
    assert list(without) == ["Budget"] and without["Budget"] == full["Budget"] != "solid"
