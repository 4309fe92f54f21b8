"""The plan ("Planering med budget"): the board's budget and plan years along the tree, with
its goals and projects sections."""
