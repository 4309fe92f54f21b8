"""The goals domain: plain Python that decides which events happen, or refuses."""
