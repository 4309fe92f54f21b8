"""The demo data transcribed from the seed: valid commands, in an order the service can apply."""

from decimal import Decimal

from contracts.budget.commands import (
    BUDGET_COMMANDS,
    ChangeFrame,
    RegisterUnit,
    RenameUnit,
    SetFigures,
    SetNetInvestment,
    WriteNarrative,
)
from contracts.budget.fields import FigureKind, NarrativeSection
from contracts.envelope import Command
from services.budget.demo_data import (
    ACTUALS_2010,
    BUDGET_2011,
    FRAME_CHANGES,
    NARRATIVES,
    TABLES,
    demo_commands,
    printed_frame_change,
)


def figures(unit_code: str, year: int, kind: FigureKind) -> SetFigures:
    matches = [
        command
        for command in demo_commands()
        if isinstance(command, SetFigures)
        and (command.unit_code, command.year, command.kind) == (unit_code, year, kind)
    ]
    assert len(matches) == 1, f"{unit_code} {year} {kind}: {len(matches)} tables"
    return matches[0]


def net(unit_code: str, year: int, kind: FigureKind) -> Decimal:
    found = figures(unit_code, year, kind)
    return found.revenue + found.costs


def frame_change(unit_code: str) -> ChangeFrame:
    [change] = [
        command
        for command in demo_commands()
        if isinstance(command, ChangeFrame) and command.unit_code == unit_code
    ]
    return change


def referenced_units(command: Command) -> list[str]:
    codes = [getattr(command, "unit_code", None), getattr(command, "parent_code", None)]
    return [code for code in codes if code is not None]


def test_every_command_survives_a_round_trip_through_json_into_its_model() -> None:
    for command in demo_commands():
        model = BUDGET_COMMANDS[command.command_name]
        assert type(command) is model
        assert model.model_validate_json(command.model_dump_json()) == command


def test_every_command_is_sent_by_the_demo_actor() -> None:
    assert {command.actor for command in demo_commands()} == {"demo"}


def test_message_ids_are_unique() -> None:
    ids = [command.message_id for command in demo_commands()]
    assert len(ids) == len(set(ids))


def test_loading_the_demo_twice_sends_the_same_message_ids() -> None:
    first = [command.message_id for command in demo_commands()]
    second = [command.message_id for command in demo_commands()]
    assert first == second


def test_every_unit_is_registered_before_it_or_a_child_of_it_is_used() -> None:
    registered: set[str] = set()
    for command in demo_commands():
        if isinstance(command, RegisterUnit):
            assert command.unit_code not in registered, f"{command.unit_code} registered twice"
            if command.parent_code is not None:
                assert command.parent_code in registered, f"{command.unit_code} before parent"
            registered.add(command.unit_code)
        else:
            for code in referenced_units(command):
                assert code in registered, f"{command.command_name} for unregistered {code}"


def test_only_the_board_has_no_parent() -> None:
    roots = [
        command.unit_code
        for command in demo_commands()
        if isinstance(command, RegisterUnit) and command.parent_code is None
    ]
    assert roots == ["KS"]


def test_the_economy_office_is_registered_under_its_old_name_and_then_renamed() -> None:
    [registration] = [
        c for c in demo_commands() if isinstance(c, RegisterUnit) and c.unit_code == "EKO"
    ]
    [renaming] = [c for c in demo_commands() if isinstance(c, RenameUnit)]
    assert registration.name == "Ekonomikontoret"
    assert (renaming.unit_code, renaming.name) == ("EKO", "Ekonomi- och upphandlingskontoret")


def test_the_board_budget_2011_net_is_minus_109_550_000_kronor() -> None:
    assert net("KS", 2011, FigureKind.BUDGET) == Decimal(-109_550_000)


def test_the_board_plan_2013_net_is_minus_109_350_000_kronor() -> None:
    assert net("KS", 2013, FigureKind.PLAN) == Decimal(-109_350_000)


def test_the_three_administrations_leave_the_logistics_centre_frame_unallocated() -> None:
    administrations = sum(net(code, 2011, FigureKind.BUDGET) for code in ("NÄT", "KC", "KLF"))
    assert administrations == Decimal(-108_432_000)
    assert net("KS", 2011, FigureKind.BUDGET) - administrations == Decimal(-1_118_000)


def test_the_information_office_frame_grows_by_1_340_000_kronor() -> None:
    assert frame_change("INFO").amount == Decimal(1_340_000)


def test_every_frame_change_equals_the_change_of_the_printed_nets() -> None:
    for change in FRAME_CHANGES:
        assert change.amount_tkr == printed_frame_change(change.unit_code), change.unit_code


def test_the_it_office_actuals_2010_costs_carry_the_minus_the_print_lost() -> None:
    actuals = figures("IT", 2010, FigureKind.ACTUALS)
    assert actuals.costs == Decimal(-55_395_000)
    assert actuals.revenue + actuals.costs == Decimal(-81_000)


def test_revenue_is_never_negative_and_costs_never_positive() -> None:
    for command in demo_commands():
        if isinstance(command, SetFigures):
            assert command.revenue >= 0 and command.costs <= 0, command.unit_code


def test_every_amount_is_a_whole_number_of_tkr() -> None:
    for command in demo_commands():
        if isinstance(command, SetFigures):
            assert command.revenue % 1000 == 0 and command.costs % 1000 == 0
        if isinstance(command, ChangeFrame | SetNetInvestment):
            assert command.amount % 1000 == 0


def test_printed_nets_disagree_with_their_rows_only_where_the_seed_does() -> None:
    disagreements = {
        (table.unit_code, column)
        for table in TABLES
        for column, revenue, costs, printed_net in table.cells()
        if revenue + costs != printed_net
    }
    assert disagreements == {
        ("NÄT", ACTUALS_2010),
        ("KGM", BUDGET_2011),
        ("KLFL", ACTUALS_2010),
        ("INFO", BUDGET_2011),
    }


def test_the_board_has_net_investments_for_five_columns() -> None:
    investments = {
        (c.year, c.kind): c.amount for c in demo_commands() if isinstance(c, SetNetInvestment)
    }
    assert investments == {
        (2010, FigureKind.BUDGET): Decimal(92_087_000),
        (2010, FigureKind.ACTUALS): Decimal(9_798_000),
        (2011, FigureKind.BUDGET): Decimal(111_756_000),
        (2012, FigureKind.PLAN): Decimal(25_350_000),
        (2013, FigureKind.PLAN): Decimal(27_850_000),
    }


def test_every_node_with_a_printed_narrative_has_both_sections_for_2011() -> None:
    registered = {c.unit_code for c in demo_commands() if isinstance(c, RegisterUnit)}
    sections: dict[str, set[NarrativeSection]] = {}
    for command in demo_commands():
        if isinstance(command, WriteNarrative):
            assert command.year == 2011
            sections.setdefault(command.unit_code, set()).add(command.section)
    # KLC has no section of its own; KC's section starts directly with its first unit.
    assert set(sections) == registered - {"KLC", "KC"}
    assert all(found == set(NarrativeSection) for found in sections.values())


def test_the_board_description_opens_with_how_the_frame_is_distributed() -> None:
    [ks] = [narrative for narrative in NARRATIVES if narrative.unit_code == "KS"]
    assert ks.activity_description.startswith("Kommunstyrelsen består av fyra")
    assert "Kommunledningsförvaltningen 56 010 tkr" in ks.activity_description
    assert ks.activity_changes == "Se respektive budgeteringsområde."


def test_footnotes_glued_into_the_narratives_are_left_out() -> None:
    texts = " ".join(n.activity_description + n.activity_changes for n in NARRATIVES)
    for footnote in (
        "Ett antagande är gjort",
        "Eventuella ombudgeteringar",
        "Från och med den 1 november 2010",
        "medelvärde om 2,05",
        "Beloppen är en summering",
    ):
        assert footnote not in texts
    assert "underlätta för befintliga företag" in texts
    assert "i Katrineholms kommun betydande" in texts
