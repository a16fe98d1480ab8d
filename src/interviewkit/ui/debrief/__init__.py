"""The Debriefs section: every submitted scorecard of a candidate side by side, and the panel's decision."""
