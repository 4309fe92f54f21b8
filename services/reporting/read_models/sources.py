"""Which projection holds each source's read models: the names a read-model session is
asked for. A reader of goals or projects also reads the budget's organisation tree."""

BUDGET = "reporting"
GOALS = "reporting_goals"
PROJECTS = "reporting_projects"

GOALS_WITH_UNITS = (GOALS, BUDGET)
PROJECTS_WITH_UNITS = (PROJECTS, BUDGET)
