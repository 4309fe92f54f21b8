"""What every report shares: the tree walk, amounts and tkr, the moment a report is read as
of, the tables' files, the pages' templates, the refusals and the route factory."""
