"""The interim report ("Delårsrapport") and the annual report ("Årsredovisning")."""
