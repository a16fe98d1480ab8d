"""The Loops section: plan a candidate's interview loop, its stages, question plans and coverage."""
