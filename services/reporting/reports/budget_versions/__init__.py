"""The budget versions side by side: proposed, adopted and revised, with the changes."""
