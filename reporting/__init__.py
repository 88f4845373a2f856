"""The evaluation concept: reporting periods, frozen reports, comparison over time (see README, "Berichte")."""
