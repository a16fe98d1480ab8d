"""The People section: interviewers, openings and candidates, and the "who is using the app" dialog."""
