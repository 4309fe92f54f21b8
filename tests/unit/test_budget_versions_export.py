"""The budget versions' file (no I/O): a row per unit with each version's revenue, costs and
net and the change from the version before, in tkr as the page shows them."""

from decimal import Decimal

from services.reporting.reports.budget_versions.builder import (
    ADOPTED,
    PROPOSED,
    REVISED,
    VersionRow,
    VersionsView,
)
from services.reporting.reports.budget_versions.export import (
    headers,
    versions_file_name,
    versions_table,
)
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.table_export import Amount, Scale, Text

D = Decimal


def amounts(revenue: str, costs: str) -> Amounts:
    return Amounts(D(revenue), D(costs))


def view(statuses: tuple[str, ...], rows: tuple[VersionRow, ...]) -> VersionsView:
    return VersionsView("KS", "Kommunstyrelsen", 2011, statuses, rows)


def test_each_version_then_its_change_from_the_one_before() -> None:
    found = headers(view((PROPOSED, ADOPTED, REVISED), ()))
    assert found == (
        "Enhetskod",
        "Enhet",
        "Förslag: intäkter",
        "Förslag: kostnader",
        "Förslag: nettokostnad",
        "Beslutad: intäkter",
        "Beslutad: kostnader",
        "Beslutad: nettokostnad",
        "Förändring förslag–beslutad: intäkter",
        "Förändring förslag–beslutad: kostnader",
        "Förändring förslag–beslutad: nettokostnad",
        "Reviderad: intäkter",
        "Reviderad: kostnader",
        "Reviderad: nettokostnad",
        "Förändring beslutad–reviderad: intäkter",
        "Förändring beslutad–reviderad: kostnader",
        "Förändring beslutad–reviderad: nettokostnad",
    )


def test_a_row_per_unit_with_exact_kronor_and_no_change_where_a_version_is_missing() -> None:
    rows = (
        VersionRow("KS", "Kommunstyrelsen", 0, (amounts("100", "-900"), amounts("100", "-950.50"))),
        VersionRow("NY", "Nya enheten", 1, (None, amounts("0", "-10"))),
    )
    table = versions_table(view((ADOPTED, REVISED), rows))
    (section,) = table.sections
    assert len(section.headers) == 2 + 3 * 3
    ks, new = section.rows
    assert ks == (
        Text("KS"),
        Text("Kommunstyrelsen"),
        Amount(D("100")),
        Amount(D("-900")),
        Amount(D("-800")),
        Amount(D("100")),
        Amount(D("-950.50")),
        Amount(D("-850.50")),
        Amount(D("0")),
        Amount(D("-50.50")),
        Amount(D("-50.50")),
    )
    assert new[2:5] == (None, None, None)
    assert new[5:8] == (Amount(D("0")), Amount(D("-10")), Amount(D("-10")))
    assert new[8:] == (None, None, None)
    assert table.scale is Scale.TKR
    assert table.notices == ()
    assert (table.title, table.unit, table.period) == (
        "Budgetversioner 2011 för Kommunstyrelsen",
        "KS Kommunstyrelsen",
        "2011",
    )


def test_without_any_budget_the_file_says_so() -> None:
    table = versions_table(view((ADOPTED, REVISED), ()))
    assert table.notices == ("Det finns ingen budget för 2011 i någon version.",)
    assert table.sections[0].rows == ()


def test_the_file_name_names_the_unit_and_the_year() -> None:
    assert versions_file_name(view((ADOPTED,), ())) == "budgetversioner-KS-2011"
