"""The read models of the projects' events: the register, its lifecycle, managers, steps,
budgets, financing, status reports and links to result goals."""
