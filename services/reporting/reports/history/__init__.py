"""The history of a unit's figures for a year: every change, who, when and from where."""
